using System.Collections.Concurrent;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary>
/// "Try a question" (KnowledgeTrial → KnowledgeIndex.ExplainAsync → RetrieveAsync) on the embedded defaults with the
/// sample knowledge base, the hashed encoder the test host pins, and the built-in policy (public FAQ and articles).
/// </summary>
public class KnowledgeTrialTests
{
    private const string Email = "jane.doe@example.com";

    private SidecarTestHost _host = null!;
    private readonly CapturingAudit _audit = new();
    private readonly CapturedLogs _logs = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await SidecarTestHost.StartAsync(["Logging:LogLevel:Default=Information"], b =>
        {
            b.Services.AddSingleton<IOutboundTextAudit>(_audit);
            b.Logging.AddProvider(_logs);
        });
        await _host.Service<KnowledgeImporter>().ImportFolderAsync(Samples.PathOf("knowledge"), null, CancellationToken.None);
        var index = _host.Service<KnowledgeIndex>();
        // Two articles about the same thing, each outside the built-in policy's slice: agents-only, and another brand's.
        await index.UpsertAsync(new KnowledgeArticle("files", "vip-parcel-tracking.md", "Tracking parcels for VIP customers", null,
            [new ArticleSection("Tracking parcels for VIP customers", "VIP customers track a parcel through their account manager, who sees the courier's live tracking.")])
        { Visibility = KnowledgeVisibility.Agents }, CancellationToken.None);
        await index.UpsertAsync(new KnowledgeArticle("files", "globex-tracking.md", "Globex parcel tracking", null,
            [new ArticleSection("Globex parcel tracking", "Globex parcels are tracked on the Globex portal with the tracking number.")])
        { Brand = "globex" }, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private Task<TrialResult> TryAsync(TrialQuestion question) => _host.Service<KnowledgeTrial>().RunAsync(question, CancellationToken.None);

    [Test]
    public async Task RunAsync_SampleQuestion_FindsTheArticleThatAnswersIt_WithItsRanksAndScores()
    {
        var result = await TryAsync(new TrialQuestion("How can I track my parcel?"));

        var first = result.Explanation.Passages[0];
        Assert.That(first.Hit.Title, Is.EqualTo("Track a parcel"));
        Assert.That(first.LexicalRank, Is.EqualTo(1), "the best keyword match");
        Assert.That(first.LexicalScore, Is.GreaterThan(0));
        Assert.That(first.DenseRank, Is.Not.Null, "the vector list found it too");
        Assert.That(first.ArticleRank, Is.Not.Null, "and the article list");
        Assert.That(first.FusedScore, Is.GreaterThanOrEqualTo(result.Explanation.Passages[^1].FusedScore));
        Assert.That(result.Explanation.Passages, Has.Count.LessThanOrEqualTo(result.K));
        Assert.That(result.Decision.Rule, Is.EqualTo("default"));
        Assert.That(result.Explanation.QueryTerms, Does.Contain("track").And.Contain("parcel"));
    }

    [Test]
    public async Task RunAsync_PolicyFilters_SayWhatTheyKeptOut_AndAnOverrideLetsItIn()
    {
        var result = await TryAsync(new TrialQuestion("How do VIP customers track a parcel with Globex?"));

        Assert.That(result.Explanation.Passages.Select(p => p.Hit.Title), Has.None.EqualTo("Tracking parcels for VIP customers").And.None.EqualTo("Globex parcel tracking"));
        var filtered = result.Explanation.Filtered.ToDictionary(f => f.Title);
        Assert.That(filtered["Tracking parcels for VIP customers"].ExcludedBy.Single(), Does.StartWith("visibility agents"));
        Assert.That(filtered["Globex parcel tracking"].ExcludedBy.Single(), Does.StartWith("brand globex"));

        var widened = await TryAsync(new TrialQuestion("How do VIP customers track a parcel with Globex?", Brand: "globex", Visibility: "agents"));

        Assert.That(widened.VisibilityOverridden, Is.True);
        Assert.That(widened.Explanation.Passages.Select(p => p.Hit.Title), Does.Contain("Tracking parcels for VIP customers").And.Contain("Globex parcel tracking"));
        Assert.That(widened.Explanation.Filtered.Select(f => f.Title), Has.None.EqualTo("Globex parcel tracking"));
    }

    [Test]
    public async Task RunAsync_PersonalData_RedactedBeforeTheSearchAndTheLog()
    {
        var result = await TryAsync(new TrialQuestion($"Where is my parcel? Write to {Email} please."));

        Assert.That(result.RedactedQuestion, Does.Contain("[EMAIL_1]").And.Not.Contain(Email));
        Assert.That(result.Redactions["email"], Is.EqualTo(1));
        Assert.That(_audit.Texts, Is.Not.Empty, "the index query was recorded");
        Assert.That(_audit.Texts, Has.None.Contain("jane"), "the index never saw the address");
        Assert.That(_logs.Entries.Select(e => e.Message), Has.Some.Contains("Retrieval tried from the console"));
        Assert.That(_logs.Entries.Select(e => e.Message), Has.None.Contains("jane"));
    }

    [TestCase("", null, null, "question")]
    [TestCase("   ", null, null, "question")]
    [TestCase("Where is my parcel?", "secret", null, "visibility")]
    [TestCase("Where is my parcel?", null, "not a locale!", "locale")]
    public void RunAsync_BadInput_RefusedNamingTheField(string question, string? visibility, string? locale, string field)
    {
        var e = Assert.ThrowsAsync<TrialQuestionException>(() => TryAsync(new TrialQuestion(question, Visibility: visibility, Locale: locale)));
        Assert.That(e!.Message, Does.Contain($"'{field}'"));
    }

    private sealed class CapturingAudit : IOutboundTextAudit
    {
        private readonly ConcurrentQueue<string> _texts = new();

        public IReadOnlyList<string> Texts => _texts.ToList();

        public void Record(string channel, string text) => _texts.Enqueue(text);
    }
}
