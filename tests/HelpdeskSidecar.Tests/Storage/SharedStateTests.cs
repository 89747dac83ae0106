using System.Net;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Settings;
using HelpdeskSidecar.Storage.Shared;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using HelpdeskSidecar.WebConsole;

namespace HelpdeskSidecar.Tests.Storage;

/// <summary>
/// Two replicas (two real hosts, each with a data dir of its own) on one PostgreSQL database: what one knows, the other
/// knows too (cookie keys, the feedback-link key, failed sign-ins, knowledge), and what must run once runs once
/// (a knowledge sync, a policy save).
/// </summary>
public class SharedStateTests
{
    private SidecarTestHost _a = null!;
    private SidecarTestHost _b = null!;
    private FakeZendesk _zendesk = null!;
    private TempDirectory _files = null!;
    private string _policyFile = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var storage = await StorageProviders.SettingsAsync(StorageProviders.Postgres);
        _zendesk = await FakeZendesk.StartAsync();
        _files = new TempDirectory();
        _policyFile = _files.File("policy.yaml", File.ReadAllText(Samples.PathOf("policy.yaml")));
        string[] settings = [.. storage, .. _zendesk.ConnectionSettings, $"Sidecar:Policy:File={_policyFile}"];
        var both = await Task.WhenAll(SidecarTestHost.StartAsync(settings), SidecarTestHost.StartAsync(settings));
        (_a, _b) = (both[0], both[1]);
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_a is not null)
            await _a.DisposeAsync();
        if (_b is not null)
            await _b.DisposeAsync();
        if (_zendesk is not null)
            await _zendesk.DisposeAsync();
        _files?.Dispose();
    }

    [Test]
    public async Task ConsoleCookie_SignedInOnOneReplica_IsSignedInOnTheOther()
    {
        await _a.Service<UserStore>().UpsertAsync("priya", Role.OpsLead, "correct horse battery", CancellationToken.None);
        using var onA = new ConsoleSession(_a.BaseAddress);
        using (var signIn = await onA.SignInAsync("priya", "correct horse battery"))
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        // The same browser, sent to the other replica by the load balancer.
        using var onB = new HttpClient(new HttpClientHandler { CookieContainer = onA.Cookies, AllowAutoRedirect = false }) { BaseAddress = _b.BaseAddress };
        using var page = await onB.GetAsync("/console");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), page.Headers.Location?.ToString());
    }

    [Test]
    public void FeedbackLink_MadeByOneReplica_IsValidOnTheOther()
    {
        var token = _a.Service<FeedbackLinks>().Token("s-1", FeedbackLinks.Accept, TimeProvider.System.GetUtcNow().AddDays(1));
        var (check, claim) = _b.Service<FeedbackLinks>().Verify(token);
        Assert.That(check, Is.EqualTo(FeedbackLinkCheck.Valid));
        Assert.That(claim!.SuggestionId, Is.EqualTo("s-1"));
    }

    [Test]
    public async Task LoginThrottle_FailuresOnOneReplica_CountOnTheOther()
    {
        var attempts = new AccessOptions().LoginAttempts;
        var onA = _a.Service<LoginThrottle>();
        var onB = _b.Service<LoginThrottle>();
        for (var i = 0; i < attempts - 1; i++)
            await onA.FailedAsync("priya", "10.0.0.9", CancellationToken.None);
        Assert.That(await onB.RetryAfterAsync("priya", "10.0.0.9", CancellationToken.None), Is.Null, "one attempt left");

        await onA.FailedAsync("priya", "10.0.0.9", CancellationToken.None);

        Assert.That(await onB.RetryAfterAsync("priya", "10.0.0.9", CancellationToken.None), Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
        Assert.That(await onB.RetryAfterAsync("someone-else", "10.0.0.9", CancellationToken.None), Is.Not.Null, "the client's count is shared too");
        await onB.SucceededAsync("priya", CancellationToken.None);
        Assert.That(await onA.RetryAfterAsync("priya", "10.0.0.77", CancellationToken.None), Is.Null, "a good password clears the name's count everywhere");
    }

    [Test]
    public async Task KnowledgeSync_RunningOnOneReplica_IsNotStartedAgainOnTheOther()
    {
        var runnerB = _b.Service<KnowledgeSyncRunner>();
        await using (var held = await _a.Service<ClusterLocks>().TryAcquireAsync("kb-sync", CancellationToken.None))
        {
            Assert.That(held, Is.Not.Null);
            Assert.That(runnerB.TryStart("priya"), Is.True);
            var progress = await Eventually.GetAsync(() => Task.FromResult(runnerB.Progress), p => !p.Running, because: "B to give up");
            Assert.That(progress.Message, Is.EqualTo(KnowledgeSyncRunner.AlreadyRunningElsewhere));
        }

        Assert.That(runnerB.TryStart("priya"), Is.True);
        var done = await Eventually.GetAsync(() => Task.FromResult(runnerB.Progress), p => !p.Running, because: "B's own sync");
        Assert.That(done.Message, Does.StartWith("Synced zendesk"));
    }

    [Test]
    public async Task PolicySave_SameBaseOnBothReplicasAtOnce_OneSavesTheOtherIsToldItChanged()
    {
        var original = _a.Service<PolicyFileEditor>().Read()!;
        var edited = original.Text! + "\n# edited\n";
        var saves = await Task.WhenAll(
            _a.Service<PolicyFileEditor>().SaveAsync(edited + "# by A\n", original.Sha256, "a", CancellationToken.None),
            _b.Service<PolicyFileEditor>().SaveAsync(edited + "# by B\n", original.Sha256, "b", CancellationToken.None));
        Assert.That(saves.Select(s => s.Outcome), Is.EquivalentTo(new[] { PolicySaveOutcome.Saved, PolicySaveOutcome.Stale }),
            string.Join("; ", saves.Select(s => s.Reason)));
    }

    [Test]
    public async Task Retrieval_ArticleAddedThroughOneReplica_IsFoundByTheOthersEmbeddedIndex()
    {
        var request = new RetrievalRequest("When does my refund reach my card?", 3) { Scope = new RetrievalScope() };
        // B builds its in-memory snapshot first, while the knowledge is empty.
        Assert.That(await _b.Service<KnowledgeIndex>().RetrieveAsync(request, CancellationToken.None), Is.Empty);

        await _a.Service<KnowledgeIndex>().UpsertAsync(new KnowledgeArticle("files", "refunds", "How refunds work", "https://help.example/refunds",
            [new ArticleSection("When the money arrives", "Refunds reach your card within 5 to 10 business days after the warehouse receives the item.")]), CancellationToken.None);

        var found = await _b.Service<KnowledgeIndex>().RetrieveAsync(request, CancellationToken.None);
        Assert.That(found.Select(p => p.Hit.Title), Does.Contain("How refunds work"));
    }
}
