using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>kb sync</c> through the real command line: exit codes, and a full run against the loopback Zendesk.</summary>
[NonParallelizable] // redirects Console
public class KbSyncCommandTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [TestCase("zendesk", "Sidecar:Zendesk")]
    [TestCase("freshdesk", "Sidecar:Freshdesk")]
    public async Task KbSync_HelpdeskNotConfigured_Exits2WithOneLineNamingTheKey(string helpdesk, string key)
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("kb", "sync", helpdesk, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain(key));
    }

    [Test]
    public async Task KbSync_ZendeskWithTickets_SyncsArticlesAndImportsSolvedTickets()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.Articles.Add((301, "Resetting your password", "<p>Use the forgot password link.</p>", false, null));
        zendesk.Articles.Add((302, "Internal refund codes", "<p>Override codes for refunds.</p>", true, null));
        zendesk.ExportLog.Add(new(1, "Refund please", "I was charged twice", "solved", "billing"));
        using var data = new TempDirectory();
        string[] settings = [$"--Sidecar:DataDir={data.Path}", $"--Sidecar:Zendesk:BaseUrl={zendesk.BaseUrl}", "--Sidecar:Zendesk:Email=a@example.com", "--Sidecar:Zendesk:ApiToken=t"];

        var (code, output, error) = await RunAsync(["kb", "sync", "zendesk", "--tickets", .. settings]);
        var (again, secondOutput, _) = await RunAsync(["kb", "sync", "zendesk", .. settings]);

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("2 added").And.Contain("1 drafts or restricted kept agents-only"));
        Assert.That(output, Does.Contain("1 solved or closed imported as 'past_ticket'"));
        Assert.That(again, Is.EqualTo(0));
        Assert.That(secondOutput, Does.Contain("0 added, 0 updated, 0 deleted, 2 unchanged"));
    }

    [Test]
    public async Task KbSync_SyncRunningOnAnotherReplica_Exits1AndSyncsNothing()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.Articles.Add((401, "Resetting your password", "<p>Use the forgot password link.</p>", false, null));
        using var data = new TempDirectory();
        var storage = await StorageProviders.SettingsAsync(StorageProviders.Postgres);
        string[] settings = [$"--Sidecar:DataDir={data.Path}", .. storage.Select(s => "--" + s), $"--Sidecar:Zendesk:BaseUrl={zendesk.BaseUrl}", "--Sidecar:Zendesk:Email=a@example.com", "--Sidecar:Zendesk:ApiToken=t"];
        await using var otherReplica = new HelpdeskSidecar.Storage.Database(Microsoft.Extensions.Options.Options.Create(new HelpdeskSidecar.Configuration.SidecarOptions
        {
            DataDir = data.Path,
            Storage = new HelpdeskSidecar.Configuration.StorageOptions { Provider = "Postgres", ConnectionString = storage[1].Split('=', 2)[1] },
        }));

        await using (await new HelpdeskSidecar.Storage.Shared.ClusterLocks(otherReplica).TryAcquireAsync("kb-sync", CancellationToken.None))
        {
            var (code, output, error) = await RunAsync(["kb", "sync", "zendesk", .. settings]);
            Assert.That(code, Is.EqualTo(1), output + error);
            Assert.That(error.Trim(), Does.StartWith("error: a knowledge sync is already running").And.Not.Contain("\n"));
        }
        Assert.That(zendesk.Requests.Any(r => r.PathAndQuery.Contains("articles", StringComparison.Ordinal)), Is.False, "nothing was listed");

        var (after, afterOutput, afterError) = await RunAsync(["kb", "sync", "zendesk", .. settings]);
        Assert.That(after, Is.EqualTo(0), afterError);
        Assert.That(afterOutput, Does.Contain("1 added"));
    }

    [Test]
    public async Task KbSync_ListingCutOffAtPageLimit_SaysSoAndDeletesNothing()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.Articles.Add((5000, "Shipping to Mars", "<p>Rockets leave every second Tuesday.</p>", false, null));
        using var data = new TempDirectory();
        string[] settings = [$"--Sidecar:DataDir={data.Path}", $"--Sidecar:Zendesk:BaseUrl={zendesk.BaseUrl}", "--Sidecar:Zendesk:Email=a@example.com", "--Sidecar:Zendesk:ApiToken=t"];
        await RunAsync(["kb", "sync", "zendesk", .. settings]);
        zendesk.Articles.Clear();
        for (var id = 1; id <= 101; id++)
            zendesk.Articles.Add((id, $"Article {id}", $"<p>Body of article {id}.</p>", false, null));
        zendesk.PageSize = 1;

        var (code, output, error) = await RunAsync(["kb", "sync", "zendesk", .. settings]);
        var (_, stats, _) = await RunAsync(["kb", "stats", $"--Sidecar:DataDir={data.Path}"]);

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("100 added, 0 updated, 0 deleted"));
        Assert.That(output, Does.Contain("100-page limit").And.Contain("nothing was deleted"));
        Assert.That(stats, Does.StartWith("101 articles"));
    }

    [Test]
    public async Task KbSync_ListingFailsOnPage2_Exits1WithOneLineAndKeepsTheArticles()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        for (var id = 1; id <= 3; id++)
            zendesk.Articles.Add((id, $"Article {id}", $"<p>Body of article {id}.</p>", false, null));
        using var data = new TempDirectory();
        string[] settings = [$"--Sidecar:DataDir={data.Path}", $"--Sidecar:Zendesk:BaseUrl={zendesk.BaseUrl}", "--Sidecar:Zendesk:Email=a@example.com", "--Sidecar:Zendesk:ApiToken=t"];
        await RunAsync(["kb", "sync", "zendesk", .. settings]);
        zendesk.Articles.RemoveAt(0);
        zendesk.PageSize = 1;
        zendesk.FailArticlePagesAfterFirst = true;

        var (code, _, error) = await RunAsync(["kb", "sync", "zendesk", .. settings]);
        var (_, stats, _) = await RunAsync(["kb", "stats", $"--Sidecar:DataDir={data.Path}"]);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith("error: kb sync zendesk failed").And.Contain("Zendesk answered 400").And.Contain("nothing was deleted"));
        Assert.That(stats, Does.StartWith("3 articles"));
    }

    [Test]
    public async Task KbSync_FreshdeskRejectsTheApiKey_Exits1WithOneLine()
    {
        await using var freshdesk = await FakeFreshdesk.StartAsync();
        using var data = new TempDirectory();

        var (code, _, error) = await RunAsync("kb", "sync", "freshdesk", $"--Sidecar:DataDir={data.Path}",
            $"--Sidecar:Freshdesk:BaseUrl={freshdesk.BaseUrl}", "--Sidecar:Freshdesk:ApiKey=wrong-key");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain("Freshdesk answered 401").And.Not.Contain("Exception"));
    }

    [Test]
    public async Task KbSync_NoHelpdeskNamedNoneConfigured_Exits2WithOneLine()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("kb", "sync", $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("no helpdesk is configured"));
    }

    [Test]
    public async Task KbSync_NoHelpdeskNamed_SyncsTheConfiguredOne()
    {
        await using var freshdesk = await FakeFreshdesk.StartAsync();
        using var data = new TempDirectory();

        var (code, output, error) = await RunAsync("kb", "sync", $"--Sidecar:DataDir={data.Path}",
            $"--Sidecar:Freshdesk:BaseUrl={freshdesk.BaseUrl}", $"--Sidecar:Freshdesk:ApiKey={FakeFreshdesk.ApiKey}");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("Synced freshdesk:").And.Not.Contain("Synced zendesk"));
    }

    [Test]
    public async Task KbSync_UnknownHelpdesk_Exits2WithOneLine()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("kb", "sync", "helpscout", $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("helpscout"));
    }

    [Test]
    public async Task KbSync_TicketsWithFreshdesk_Exits2()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("kb", "sync", "freshdesk", "--tickets", $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--tickets"));
    }
}
