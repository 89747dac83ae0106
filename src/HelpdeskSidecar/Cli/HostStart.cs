using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// Starts the web host for <c>serve</c> and <c>demo</c> so that the caller's mistakes (an invalid setting, an address
/// that is busy or is no URL) end as one line and exit code 2. The host logs a start failure itself ("Hosting failed
/// to start" and a trace) before it throws; that log is held back until the host has started, since the exception
/// reaches the command line anyway: as one line when it is a mistake, with its trace when it is not.
/// </summary>
internal static class HostStart
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>For <see cref="Program.BuildHost"/>'s <c>configure</c>: the host's own log is quiet until it has started.</summary>
    public static void QuietStartFailures(WebApplicationBuilder builder)
    {
        var gate = new StartGate();
        builder.Services.AddSingleton(gate);
        builder.Logging.AddFilter(HostCategory, level => gate.Started && level >= LogLevel.Warning);
    }

    public static async Task StartAsync(WebApplication app, CancellationToken ct)
    {
        // ValidateOnStart's checks first, outside StartAsync, so they fail before anything is started or logged.
        app.Services.GetService<IStartupValidator>()?.Validate();
        // The database too: a sidecar.db that is no database would otherwise fail a background service mid-start.
        await using (await app.Services.GetRequiredService<Storage.Database>().OpenAsync(ct))
        {
        }
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException ex) when (ex.Message.StartsWith("Failed to bind to address", StringComparison.Ordinal))
        {
            // "Failed to bind to address http://127.0.0.1:5080: address already in use."
            throw new UsageException($"--urls: cannot listen: {Hosting.Excerpt.Of(ex.Message, 200).TrimEnd('.')}");
        }
        catch (FormatException ex) when (ex.Message.StartsWith("Invalid url", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--urls: {Hosting.Excerpt.Of(ex.Message, 200).TrimEnd('.')} (expected e.g. --urls=http://127.0.0.1:5080)");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // A background service failed while the host was starting and the host stopped itself: that failure is the reason.
            ThrowIfABackgroundServiceFailed(app);
            throw;
        }
        if (app.Services.GetService<StartGate>() is { } gate)
            gate.Started = true;
    }

    /// <summary>Rethrows the first failure of a background service (e.g. a data dir whose database cannot be opened).</summary>
    public static void ThrowIfABackgroundServiceFailed(WebApplication app)
    {
        var failure = app.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Select(s => s.ExecuteTask?.Exception?.InnerException)
            .FirstOrDefault(e => e is not null and not OperationCanceledException);
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Stops a started host, bounded: a failure after start must not leave the process waiting on it.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await app.StopAsync(timeout.Token);
    }

    internal sealed class StartGate
    {
        private volatile bool _started;

        public bool Started
        {
            get => _started;
            set => _started = value;
        }
    }
}
