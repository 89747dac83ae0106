using System.Net;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>"Sync now" on the knowledge page against the loopback Zendesk: the sync runs in the background and the status reports it.</summary>
public class KnowledgeSyncPageTests
{
    [Test]
    public async Task SyncNow_RunsTheHelpdeskSyncInTheBackground_StatusReportsTheOutcome()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.Articles.Add((101, "Resetting your password", "<p>Use the forgot password link to reset a password.</p>", false, null));
        zendesk.Articles.Add((102, "Shipping times", "<p>Parcels ship within two days by courier.</p>", false, null));
        await using var host = await SidecarTestHost.StartAsync(
            zendesk.ConnectionSettings);
        await host.Service<UserStore>().UpsertAsync("ops", Role.OpsLead, "ops-password", CancellationToken.None);
        using var session = new ConsoleSession(host.BaseAddress);
        using (await session.SignInAsync("ops", "ops-password")) { }

        using var start = await session.SubmitAsync("/console/knowledge", "#sync-form", new Dictionary<string, string>());
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        var status = await Eventually.GetAsync(
            async () => JsonNode.Parse(await session.Client.GetStringAsync("/console/knowledge/sync"))!,
            s => !s["running"]!.GetValue<bool>(), because: "the background sync to finish");
        Assert.That(status["message"]!.GetValue<string>(), Does.Contain("Synced zendesk: 2 added"));
        Assert.That((await host.Service<KnowledgeIndex>().CountAsync(CancellationToken.None)).Articles, Is.EqualTo(2));

        var (_, page) = await session.GetPageAsync("/console/knowledge");
        Assert.That(page.GetElementById("source-zendesk")!.TextContent, Does.Contain("2").And.Contain("UTC"));
    }
}
