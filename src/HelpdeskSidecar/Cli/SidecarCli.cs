using System.CommandLine;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// The command line: <c>serve</c> (default), <c>demo</c>, <c>kb import|stats</c>. Tokens a command does not
/// know go to the host's configuration when written <c>--Key=Value</c> (<c>--urls=…</c>, <c>--Sidecar:Mode=Live</c>);
/// any other (<c>--nmae x</c>, a stray word) is a mistake: exit 2 naming it.
/// Exit codes: 0 ok, 1 failure, 2 bad usage or configuration.
/// </summary>
internal static class SidecarCli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("HelpdeskSidecar: a self-hosted copilot for Zendesk and Freshdesk.");
        var serveUrls = HostSettings.UrlsOption();
        var serve = new Command("serve", "Run the web host (webhooks, API).") { TreatUnmatchedTokensAsErrors = false };
        serve.Options.Add(serveUrls);
        serve.SetAction((parse, ct) => GuardAsync(() => ServeAsync(HostSettings.HostArgs(parse, serveUrls), ct)));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(KbCommands.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(HistoryCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(AccessCommands.Users());
        root.Subcommands.Add(AccessCommands.Tokens());
        var rootUrls = HostSettings.UrlsOption();
        root.Options.Add(rootUrls);
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, ct) => GuardAsync(() => ServeAsync(HostSettings.HostArgs(parse, rootUrls), ct)));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"error: {parsed.Errors[0].Message}");
            return BadUsage;
        }
        // The commands let unknown tokens through so configuration can follow them; only --Key=Value is configuration.
        // With no command, a bare first word is a mistyped command rather than a stray argument to the implied "serve".
        var problem = parsed.CommandResult.Command == root && parsed.UnmatchedTokens.FirstOrDefault() is { } first && !first.StartsWith('-')
            ? $"unknown command '{Hosting.Excerpt.Of(first)}' (commands: serve, demo, kb, history, eval, replay, report, users, tokens)"
            : HostSettings.Problem(parsed.UnmatchedTokens, args);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return BadUsage;
        }
        // serve (or no command) and demo run a service; every other command prints results, which logs must not mix into.
        CliLogging.ToStandardError = parsed.CommandResult.Command != root && parsed.CommandResult.Command.Name is not ("serve" or "demo");
        return await parsed.InvokeAsync();
    }

    private static async Task<int> ServeAsync(string[] hostArgs, CancellationToken ct)
    {
        await using var app = Program.BuildHost(hostArgs, HostStart.QuietStartFailures);
        using var dataDirLock = DataDirLock.Acquire(app.Configuration.GetSidecarOptions().FullDataDir);
        await HostStart.StartAsync(app, ct);
        await app.WaitForShutdownAsync(CancellationToken.None);
        // The host also stops when a background service fails: that is no clean exit.
        HostStart.ThrowIfABackgroundServiceFailed(app);
        return Ok;
    }

    /// <summary>Turns the caller's mistakes into one line and exit code 2; nothing else is swallowed.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join(" ", ex.Failures)}");
            return BadUsage;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // IStartupValidator throws one exception per options type that failed.
            var failures = ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
            await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join(" ", failures)}");
            return BadUsage;
        }
        catch (SidecarConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"error: invalid configuration: {ex.Message}");
            return BadUsage;
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return BadUsage;
        }
        catch (OperationCanceledException)
        {
            return Failure;
        }
    }
}

/// <summary>A mistake in what the user asked for (a missing folder, an unreadable file): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
