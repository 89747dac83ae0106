using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Copilot.Policy;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

public class PolicyNotesTests
{
    private static readonly PolicyDecision Escalate = new()
    {
        Rule = "chargeback", Source = "p.yaml", Visibility = "public", Actions = ["summary"], Escalate = true,
        EscalationReason = "Card dispute.",
    };

    private static readonly ThreadSummary Summary = new("Double charge — I was charged twice.", ["Customer: I already called my bank."], "Answer personally.");

    [Test]
    public void Escalation_WithSummary_SaysWhyAndSummarisesWithoutDraft()
    {
        var note = PolicyNotes.Escalation("s1", Escalate, Summary, []);

        Assert.That(note, Does.Contain("Why: Card dispute. (policy rule 'chargeback')"));
        Assert.That(note, Does.Contain("- Problem: Double charge — I was charged twice."));
        Assert.That(note, Does.Contain("  - Customer: I already called my bank."));
        Assert.That(note, Does.Contain("- Next step: Answer personally."));
        Assert.That(note, Does.Not.Contain("Draft"));
        Assert.That(note, Does.EndWith("[sidecar-suggestion:s1]"));
    }

    [Test]
    public void Escalation_SummaryNotAllowed_ReasonOnly()
    {
        var note = PolicyNotes.Escalation("s1", Escalate, null, []);

        Assert.That(note, Does.Contain("Why: Card dispute."));
        Assert.That(note, Does.Not.Contain("Summary of the thread"));
    }

    [Test]
    public void FailedGuardrails_OnlyBlockingFailures()
    {
        var reasons = PolicyNotes.FailedGuardrails(
        [
            new GuardrailResult("urls", false, "1 URL(s) in the draft come from no source."),
            new GuardrailResult("pii", true, "No PII found in the draft."),
            new GuardrailResult("prompt_injection", false, "flagged", BlocksDraft: false),
        ]);

        Assert.That(reasons, Is.EqualTo(new[] { "guardrail 'urls' failed: 1 URL(s) in the draft come from no source." }));
    }
}
