using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>Where and as whom one helpdesk account is called, read from <see cref="SidecarOptions"/> when the client is built.</summary>
internal sealed record HelpdeskConnection(Uri BaseUrl, AuthenticationHeaderValue? Authorization, TimeSpan Timeout, RateLimitOptions RateLimit);

internal static class HelpdeskApiExtensions
{
    /// <summary>
    /// Registers the source-generated Refit client <typeparamref name="TApi"/> for the helpdesk account
    /// <paramref name="account"/>: its base URL and credentials, the standard resilience handler
    /// (<see cref="OutboundResilience"/>), and inside it, so that every attempt counts, the account's
    /// <see cref="RateLimitHandler"/>. <c>AddRefitClient</c> is not used: it needs Refit.Reflection.
    /// </summary>
    public static IHttpClientBuilder AddHelpdeskApi<TApi>(
        this IServiceCollection services, string account, Func<SidecarOptions, HelpdeskConnection> connection, JsonSerializerContext json)
        where TApi : class
    {
        services.TryAddKeyedSingleton(account, (sp, _) => new AccountRateLimiter(Connection(sp).RateLimit, sp.GetRequiredService<TimeProvider>()));
        // The models' own source-generated metadata and settings: no reflection, the same JSON as before.
        var serializer = new SystemTextJsonContentSerializer(new JsonSerializerOptions(json.Options));
        // Buffered: a body goes out with its Content-Length (never chunked, which some gateways refuse), the same bytes on every attempt.
        var client = services.AddRefitGeneratedClient<TApi>(new RefitSettings { ContentSerializer = serializer, Buffered = true })
            .ConfigureHttpClient((sp, http) =>
            {
                var helpdesk = Connection(sp);
                http.BaseAddress = helpdesk.BaseUrl;
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler times each attempt and the whole call
                http.DefaultRequestHeaders.Authorization = helpdesk.Authorization;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("HelpdeskSidecar/0.1");
            });
        client.AddOutboundResilience(sp => new OutboundLimits(Connection(sp).Timeout));
        services.TryAddSingleton<RateLimitWaits>();
        client.AddHttpMessageHandler(sp => new RateLimitHandler(
            sp.GetRequiredKeyedService<AccountRateLimiter>(account), account, sp.GetRequiredService<RateLimitWaits>(), sp.GetRequiredService<TimeProvider>()));
        return client;

        HelpdeskConnection Connection(IServiceProvider sp) => connection(sp.GetRequiredService<IOptions<SidecarOptions>>().Value);
    }
}
