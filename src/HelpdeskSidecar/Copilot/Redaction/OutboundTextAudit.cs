namespace HelpdeskSidecar.Copilot.Redaction;

/// <summary>
/// Sees every text the sidecar sends outside its own reasoning (the knowledge index query, later a model prompt)
/// just before it goes. Not registered in production; tests register one to prove that no raw PII leaves.
/// </summary>
internal interface IOutboundTextAudit
{
    void Record(string channel, string text);
}
