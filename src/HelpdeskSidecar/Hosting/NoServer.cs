using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace HelpdeskSidecar.Hosting;

/// <summary>
/// A server that listens nowhere, for a host that only needs its background work (the demo's <c>--no-serve</c>):
/// the inbox, scheduler and pipeline run, and no port is bound, so a busy or invalid <c>--urls</c> does not matter.
/// </summary>
internal sealed class NoServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    /// <summary>Replaces Kestrel (registered by the web host defaults) in <paramref name="builder"/>.</summary>
    public static void Use(WebApplicationBuilder builder) => builder.Services.AddSingleton<IServer, NoServer>();
}
