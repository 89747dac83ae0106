using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Copilot.Guardrails;

public class DraftGuardrailsTests
{
    private static readonly KnowledgeHit Refunds = new(1, 10, "How refunds work", "https://help.example.com/refunds", "Refunds",
        "Refunds take 5 to 10 days. See https://help.example.com/refunds/status for the status page.", 0.9, ["refund"]);

    private static Draft DraftOf(string reply, int sources = 1) => new(reply,
        Enumerable.Range(1, sources).Select(n => new CitedSource(n, 10, "How refunds work", "https://help.example.com/refunds", "Refunds", 0.9, ["refund"])).ToList(),
        0.8, "test");

    private static GuardrailResult Named(IReadOnlyList<GuardrailResult> results, string name) => results.Single(r => r.Name == name);

    [Test]
    public void Check_CleanCitedDraft_PassesEveryGuardrail()
    {
        var results = DraftGuardrails.Check(DraftOf("Hi Jane,\n\nRefunds take 5 to 10 days. [1]\nStatus: https://help.example.com/refunds/status."), [Refunds], ["guaranteed refund"]);

        Assert.That(results.Select(r => r.Name), Is.EquivalentTo(new[] { "citations", "urls", "pii", "banned_phrases" }));
        Assert.That(results.Where(r => !r.Passed).Select(r => r.Detail), Is.Empty);
    }

    [Test]
    public void Check_CitationBeyondTheSources_Fails()
    {
        var results = DraftGuardrails.Check(DraftOf("Refunds take 5 to 10 days. [1] Also see [3]."), [Refunds], []);

        var citations = Named(results, "citations");
        Assert.That(citations.Passed, Is.False);
        Assert.That(citations.Detail, Does.Contain("[3]").And.Not.Contain("[1]"));
    }

    [Test]
    public void Check_CitedSourceNotRetrieved_Fails()
    {
        var other = Refunds with { ArticleId = 99 };

        var results = DraftGuardrails.Check(DraftOf("Refunds take 5 to 10 days. [1]"), [other], []);

        Assert.That(Named(results, "citations").Passed, Is.False);
    }

    [Test]
    public void Check_InventedUrl_Fails()
    {
        var results = DraftGuardrails.Check(DraftOf("Pay here: https://evil.example.net/pay [1]"), [Refunds], []);

        Assert.That(Named(results, "urls").Passed, Is.False);
        Assert.That(Named(results, "urls").Detail, Does.Not.Contain("evil"), "an invented URL is not recorded");
    }

    [TestCase("Write to [EMAIL_1] for help. [1]", "placeholder")]
    [TestCase("Write to jane.doe@example.org for help. [1]", "email")]
    [TestCase("Your card 4111 1111 1111 1111 was refunded. [1]", "card")]
    public void Check_PiiInDraft_Fails(string reply, string expected)
    {
        var results = DraftGuardrails.Check(DraftOf(reply), [Refunds], []);

        Assert.That(Named(results, "pii").Passed, Is.False);
        Assert.That(Named(results, "pii").Detail, Does.Contain(expected));
    }

    private static readonly KnowledgeHit ResetPassword = new(2, 10, "Resetting your password", "https://help.example.com/reset", "Reset",
        "The reset email comes from no-reply@parcelly.example within five minutes. Still nothing? Call +44 20 7946 0958.", 0.9, ["reset"]);

    [TestCase("The reset email comes from no-reply@parcelly.example. [1]")]
    [TestCase("Check your spam folder for mail from No-Reply@Parcelly.example, or call +44 20 7946 0958. [1]")]
    public void Check_AddressOrPhoneQuotedFromCitedSource_PiiPasses(string reply)
    {
        var results = DraftGuardrails.Check(DraftOf(reply), [ResetPassword], []);

        Assert.That(Named(results, "pii").Passed, Is.True, Named(results, "pii").Detail);
        Assert.That(Named(results, "pii").Detail, Does.Contain("quoted from its sources"));
    }

    [TestCase("The reset email comes from no-reply@parcelly.example; we sent it to ana.pereira@acmecorp.net. [1]", "email")]
    [TestCase("The reset email comes from no-reply@parcelly.example; we will call you on +44 7700 900123. [1]", "phone")]
    public void Check_CustomerValueBesideSourceAddress_PiiFails(string reply, string kind)
    {
        var results = DraftGuardrails.Check(DraftOf(reply), [ResetPassword], []);

        Assert.That(Named(results, "pii").Passed, Is.False);
        Assert.That(Named(results, "pii").Detail, Is.EqualTo($"The draft contains PII ({kind})."));
    }

    [Test]
    public void Check_AddressQuotedFromACitedPastTicket_PiiFails()
    {
        // A past ticket may hold a customer's address; only the company's own articles vouch for one.
        var results = DraftGuardrails.Check(DraftOf("The reset email comes from no-reply@parcelly.example. [1]"), [ResetPassword], [],
            pastTicketArticles: new HashSet<long> { ResetPassword.ArticleId });

        Assert.That(Named(results, "pii").Passed, Is.False);
        Assert.That(Named(results, "pii").Detail, Is.EqualTo("The draft contains PII (email)."));
    }

    [Test]
    public void Check_AddressOnlyInARetrievedSourceTheDraftDoesNotCite_PiiFails()
    {
        var uncited = ResetPassword with { ChunkId = 3, ArticleId = 20 };

        var results = DraftGuardrails.Check(DraftOf("The reset email comes from no-reply@parcelly.example. [1]"), [Refunds, uncited], []);

        Assert.That(Named(results, "pii").Passed, Is.False);
        Assert.That(Named(results, "pii").Detail, Does.Contain("email"));
    }

    [Test]
    public void Check_BannedPhrase_FailsAndNamesIt()
    {
        var results = DraftGuardrails.Check(DraftOf("This is a GUARANTEED refund. [1]"), [Refunds], ["guaranteed refund", "legal advice"]);

        var banned = Named(results, "banned_phrases");
        Assert.That(banned.Passed, Is.False);
        Assert.That(banned.Detail, Does.Contain("guaranteed refund").And.Not.Contain("legal advice"));
        Assert.That(banned.BlocksDraft, Is.True);
    }
}
