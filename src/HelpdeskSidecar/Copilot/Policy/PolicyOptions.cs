namespace HelpdeskSidecar.Copilot.Policy;

/// <summary><c>Sidecar:Policy</c>: where the ops leads' policy file lives and how often it is looked at.</summary>
public sealed class PolicyOptions
{
    /// <summary>A YAML policy file; unset means the built-in default (draft everything, public articles only).</summary>
    public string? File { get; set; }

    /// <summary>How often the file is checked for changes; an edit takes effect on the first run after it.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(5);
}
