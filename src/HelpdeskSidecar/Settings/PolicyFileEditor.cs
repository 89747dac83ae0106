using System.Security.Cryptography;
using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Settings;

internal enum PolicySaveOutcome
{
    Saved,
    Invalid,
    NotConfigured,
    Stale,
    Unwritable,
}

/// <summary>The answer to a save: the policy now in force, or why nothing was written.</summary>
internal sealed record PolicySave(PolicySaveOutcome Outcome, PolicySnapshot? Snapshot, IReadOnlyList<PolicyError> Errors, string? Reason, SettingsAuditEntry? Audit);

/// <summary>The configured policy file as it is on disk: its text and hash, or why it cannot be read.</summary>
internal sealed record PolicyFileText(string Path, string? Text, string? Sha256, string? Problem);

/// <summary>
/// Edits <c>Sidecar:Policy:File</c> from the console and the API. A text that <see cref="PolicyLoader.Parse"/> rejects is
/// never written; a valid one replaces the file atomically (a temp file beside it, then a rename), the provider reloads
/// it at once, and the audit records who and the SHA-256 of the text before and after.
/// </summary>
/// <remarks>
/// Several replicas on PostgreSQL edit one file on a volume they share: a save holds a cluster-wide lock
/// (<see cref="Storage.Shared.ClusterLocks"/>) around its compare-and-write, so of two saves from the same text one
/// wins and the other is told the file changed; the other replicas reload it within <c>Sidecar:Policy:ReloadInterval</c>.
/// </remarks>
internal sealed partial class PolicyFileEditor(
    IOptions<SidecarOptions> options, PolicyProvider provider, SettingsAudit audit, TimeProvider time, ILogger<PolicyFileEditor> logger,
    Storage.Shared.ClusterLocks? clusterLocks = null)
{
    public const int MaxBytes = PolicyLoader.MaxBytes;

    private readonly SemaphoreSlim _write = new(1, 1);

    /// <summary>The full path of the configured file, or null when <c>Sidecar:Policy:File</c> is unset.</summary>
    public string? FilePath => string.IsNullOrWhiteSpace(options.Value.Policy.File) ? null : Path.GetFullPath(options.Value.Policy.File);

    public PolicyFileText? Read()
    {
        if (FilePath is not { } path)
            return null;
        try
        {
            var text = File.ReadAllText(path);
            return new PolicyFileText(path, text, Sha256(text), null);
        }
        catch (FileNotFoundException)
        {
            return new PolicyFileText(path, null, null, "The file does not exist yet; saving creates it.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PolicyFileText(path, null, null, PolicyProvider.Unreadable(e));
        }
    }

    /// <param name="baseSha256">The hash of the text the editor started from; a different file on disk means someone saved in between.</param>
    public async Task<PolicySave> SaveAsync(string text, string? baseSha256, string who, CancellationToken ct)
    {
        if (FilePath is not { } path)
            return new PolicySave(PolicySaveOutcome.NotConfigured, null, [], NotConfiguredReason, null);
        if (Encoding.UTF8.GetByteCount(text) > MaxBytes)
            return new PolicySave(PolicySaveOutcome.Invalid, null, [new PolicyError(path, 1, 1, $"The policy is larger than {MaxBytes / 1024} KB.")], null, null);
        var parsed = PolicyLoader.Parse(path, text);
        if (parsed.Policy is null)
            return new PolicySave(PolicySaveOutcome.Invalid, null, parsed.Errors, null, null);

        await _write.WaitAsync(ct);
        try
        {
            await using var exclusive = clusterLocks is null ? null : await clusterLocks.AcquireAsync("policy-file", ct);
            var before = Read();
            if (before?.Text is null && before?.Problem is { } unreadable && File.Exists(path))
                return new PolicySave(PolicySaveOutcome.Unwritable, null, [], unreadable, null);
            if (baseSha256 is { Length: > 0 } expected && !string.Equals(expected, before?.Sha256 ?? "", StringComparison.OrdinalIgnoreCase))
                return new PolicySave(PolicySaveOutcome.Stale, null, [], "The file changed since the editor was opened; reload the page and apply your edit again.", null);

            var temp = path + ".saving";
            try
            {
                await File.WriteAllTextAsync(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);
                Hosting.PrivateFiles.KeepMode(path, temp); // the new file keeps the old one's mode (0600 stays 0600)
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogUnwritable(path, e.GetType().Name);
                var why = e is UnauthorizedAccessException ? "the sidecar is not allowed to write it" : e.Message;
                return new PolicySave(PolicySaveOutcome.Unwritable, null, [], $"{path} cannot be written: {why}", null);
            }
            var snapshot = provider.Reload();
            var after = Sha256(text);
            var entry = await audit.AppendAsync(new SettingsAuditEntry(0, time.GetUtcNow(), who, ModeScopes.PolicyFile, path, before?.Sha256, after), ct);
            LogSaved(path, who, parsed.Policy.Rules.Count);
            return new PolicySave(PolicySaveOutcome.Saved, snapshot, [], null, entry);
        }
        finally
        {
            _write.Release();
        }
    }

    public const string NotConfiguredReason =
        "No policy file is configured, so the built-in policy is in force. Set Sidecar:Policy:File (appsettings.json, "
        + "the environment variable Sidecar__Policy__File or --Sidecar:Policy:File=…) to a YAML file the sidecar may write, "
        + "for example a copy of samples/policy.yaml, and restart.";

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy file {File} saved by {Who} with {RuleCount} rules")]
    private partial void LogSaved(string file, string who, int ruleCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Policy file {File} cannot be written ({Error}); nothing changed")]
    private partial void LogUnwritable(string file, string error);
}
