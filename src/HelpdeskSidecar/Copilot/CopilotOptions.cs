namespace HelpdeskSidecar.Copilot;

/// <summary><c>Sidecar:Copilot</c>: how the copilot treats a ticket beyond what the policy file decides.</summary>
public sealed class CopilotOptions
{
    /// <summary>
    /// A thread with more public messages than this gets a summary (problem, what was tried, next step) in its note,
    /// written by the model when one is configured, extractive otherwise. Escalation notes always carry a summary.
    /// </summary>
    public int SummarizeAfterMessages { get; set; } = 4;

    /// <summary>
    /// The intent agents give to tickets the help center is not for (job applications, press, partnerships). The classifier
    /// learns it from the history like any intent; a ticket it is predicted for, or whose top intent is below the rejection
    /// threshold fitted on the history, is out of scope: a knowledge gap, not a draft. Empty: no such intent.
    /// </summary>
    public string OutOfScopeIntent { get; set; } = "other";

    /// <summary>
    /// Sentence vectors the intent and tag classifier uses beside its sparse features: <c>minilm</c> (default), <c>arctic-xs</c>,
    /// or <c>none</c> (sparse only: no model loaded for the classifier).
    /// </summary>
    public string ClassifierEncoder { get; set; } = "minilm";
}
