using System.Security.Cryptography;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Classification;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>The policy in force, where it came from, and what was wrong with the last file that was rejected.</summary>
internal sealed record PolicySnapshot(CompiledPolicy Policy, string Source, DateTimeOffset LoadedAt, IReadOnlyList<PolicyError> LastErrors)
{
    /// <summary>What the policy in force was accepted with but probably does not mean (rules naming intents the classifier does not know).</summary>
    public IReadOnlyList<PolicyError> Warnings { get; init; } = [];
}

/// <summary>
/// Holds the current policy and re-reads the file when it changes. The check is a poll on use, at most once per
/// <see cref="PolicyOptions.ReloadInterval"/> by the injected clock: no watcher thread, and tests move the clock.
/// A file that fails to parse or validate is rejected and the last good policy stays in force. The file is checked again
/// when the classifier's intents change too, so its warnings follow what the classifier has learned.
/// </summary>
internal sealed partial class PolicyProvider(IOptions<SidecarOptions> options, ClassifierHost classifiers, TimeProvider time, ILogger<PolicyProvider> logger)
{
    public const string BuiltInSource = "built-in";

    private readonly Lock _gate = new();
    private PolicySnapshot? _current;
    private DateTimeOffset _lastCheck;
    private string? _lastHash;

    public PolicySnapshot Current
    {
        get
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                if (_current is null || now - _lastCheck >= options.Value.Policy.ReloadInterval)
                {
                    _lastCheck = now;
                    _current = Check(_current, now);
                }
                return _current;
            }
        }
    }

    /// <summary>Checks the file now, not at the next interval: after the console or the API wrote it.</summary>
    public PolicySnapshot Reload()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _lastCheck = now;
            _current = Check(_current, now);
            return _current;
        }
    }

    public PolicyDecision Decide(PolicyInput input)
    {
        var snapshot = Current;
        return PolicyEngine.Decide(snapshot.Policy, snapshot.Source, input);
    }

    private PolicySnapshot Check(PolicySnapshot? current, DateTimeOffset now)
    {
        var file = options.Value.Policy.File;
        if (string.IsNullOrWhiteSpace(file))
            return current ?? new PolicySnapshot(CompiledPolicy.BuiltIn, BuiltInSource, now, []);

        var path = Path.GetFullPath(file);
        string? text;
        try
        {
            text = PolicyLoader.ReadText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(path, e.GetType().Name);
            _lastHash = null;
            var error = new PolicyError(path, 0, 0, Unreadable(e));
            return (current ?? new PolicySnapshot(CompiledPolicy.BuiltIn, BuiltInSource, now, [])) with { LastErrors = [error] };
        }

        if (text is null)
        {
            _lastHash = null;
            var error = new PolicyError(path, 1, 1, PolicyLoader.TooLarge);
            LogRejected(path, 1, 1, error.Message);
            return (current ?? new PolicySnapshot(CompiledPolicy.BuiltIn, BuiltInSource, now, [])) with { LastErrors = [error] };
        }

        var intents = classifiers.TrainedIntents;
        var hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))) + "|" + string.Join(',', intents ?? []);
        if (current is not null && hash == _lastHash)
            return current;
        _lastHash = hash;

        var result = PolicyLoader.Parse(path, text, intents);
        if (result.Policy is null)
        {
            foreach (var e in result.Errors)
                LogRejected(e.File, e.Line, e.Column, e.Message);
            return (current ?? new PolicySnapshot(CompiledPolicy.BuiltIn, BuiltInSource, now, [])) with { LastErrors = result.Errors };
        }
        LogLoaded(path, result.Policy.Rules.Count);
        foreach (var w in result.Warnings)
            LogWarning(w.File, w.Line, w.Column, w.Message);
        return new PolicySnapshot(result.Policy, path, now, []) { Warnings = result.Warnings };
    }

    /// <summary>Why the file could not be read, in words rather than the exception's type name.</summary>
    internal static string Unreadable(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "The policy file does not exist.",
        UnauthorizedAccessException => "The policy file cannot be read: the sidecar is not allowed to read it.",
        _ => $"The policy file cannot be read: {e.Message}",
    };

    // The messages name policy keys and values from the ops leads' file, never ticket text.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Policy file {File} rejected at line {Line}, column {Column}: {Reason}; the last good policy stays in force")]
    private partial void LogRejected(string file, long line, long column, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Policy file {File} cannot be read ({Error}); the last good policy stays in force")]
    private partial void LogUnreadable(string file, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Policy file {File} line {Line}, column {Column}: {Warning}")]
    private partial void LogWarning(string file, long line, long column, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy loaded from {File} with {RuleCount} rules")]
    private partial void LogLoaded(string file, int ruleCount);
}
