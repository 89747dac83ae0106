namespace HelpdeskSidecar.Copilot;

/// <summary><c>Sidecar:Copilot</c>: how the copilot treats a ticket beyond what the policy file decides.</summary>
public sealed class CopilotOptions
{
    /// <summary>
    /// A thread with more public messages than this gets a summary (problem, what was tried, next step) in its note,
    /// written by the model when one is configured, extractive otherwise. Escalation notes always carry a summary.
    /// </summary>
    public int SummarizeAfterMessages { get; set; } = 4;
}
