using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary>
/// <c>replay</c> applies the policy's customer segments from what the export carries: Zendesk's <c>users</c> and
/// <c>organizations</c> sideloads, Freshdesk's embedded <c>requester</c> and <c>company</c>.
/// </summary>
[NonParallelizable] // redirects Console
public class ReplaySegmentTests
{
    private const string Policy = """
        version: 1
        segments:
          vip:
            organization_tags: [vip]
            user_tags: [vip]
          enterprise:
            organization_fields:
              account_tier: [Premium]
        rules:
          - name: key-account
            match: { segment: [vip, enterprise] }
            escalate: "Key accounts get a personal reply."
        """;

    private TempDirectory _data = null!;

    [SetUp]
    public void Create()
    {
        _data = new TempDirectory();
        _data.File("policy.yaml", Policy);
        _data.File("kb/refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.");
    }

    [TearDown]
    public void Delete()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private async Task<JsonNode> ReplayThenOverviewAsync(string export, string format)
    {
        var settings = new[] { $"--Sidecar:DataDir={Path.Combine(_data.Path, "data")}", $"--Sidecar:Policy:File={Path.Combine(_data.Path, "policy.yaml")}" };
        var replay = await CliRunner.RunAsync(["replay", "--tickets", export, "--format", format, "--knowledge", Path.Combine(_data.Path, "kb"), .. settings]);
        Assert.That(replay.Code, Is.EqualTo(0), replay.Error);
        var overview = await CliRunner.RunAsync(["report", "overview", "--format", "json", .. settings]);
        Assert.That(overview.Code, Is.EqualTo(0), overview.Error);
        return JsonNode.Parse(overview.Out)!["today"]!;
    }

    private static string Conversation(long id, long user, string text) =>
        $$"""{"id": {{id}}, "body": "<div>{{text}}</div>", "body_text": "{{text}}", "incoming": false, "private": false, "user_id": {{user}}, "source": 0, "created_at": "2026-10-01T10:0{{id % 10}}:00Z"}""";

    [Test]
    public async Task Freshdesk_RequesterTaggedVip_AndCompanyOnPremium_AreEscalated_OthersDrafted()
    {
        static string Ticket(long id, string requester, string company) =>
            $$"""{"id": {{id}}, "subject": "Refund timing", "description_text": "I returned the jacket, when will the refund reach my card?", "status": 4, "source": 1, "requester_id": {{id}}, "requester": {{requester}}, "company": {{company}}, "created_at": "2026-10-01T10:00:00Z", "conversations": [{{Conversation(id, 88, "Refunds reach your card within 5 to 10 business days.")}}]}""";
        var export = _data.File("freshdesk.json", "[" + string.Join(",",
            Ticket(401, """{"id": 401, "name": "Vi", "tags": ["vip"]}""", "null"),
            Ticket(402, """{"id": 402, "name": "En", "tags": []}""", """{"id": 9, "name": "Big Co", "account_tier": "Premium"}"""),
            Ticket(403, """{"id": 403, "name": "Or", "tags": ["newsletter"]}""", """{"id": 10, "name": "Small Co", "account_tier": "Basic"}""")) + "]");

        var today = await ReplayThenOverviewAsync(export, "freshdesk");

        Assert.That(today["suggestions"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(today["escalations"]!.GetValue<int>(), Is.EqualTo(2), "vip by contact tag, enterprise by company tier");
        Assert.That(today["drafts"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Zendesk_OrganizationsSideloadTaggedVip_IsEscalated_OthersDrafted()
    {
        var export = _data.File("zendesk.json", """
            {
              "tickets": [
                {"id": 501, "subject": "Refund timing", "status": "solved", "requester_id": 11, "organization_id": 70, "created_at": "2026-10-01T10:00:00Z"},
                {"id": 502, "subject": "Refund timing", "status": "solved", "requester_id": 12, "created_at": "2026-10-01T10:00:00Z"}
              ],
              "users": [
                {"id": 11, "name": "Vi", "role": "end-user"},
                {"id": 12, "name": "Or", "role": "end-user", "organization_id": 71},
                {"id": 5, "name": "Agent", "role": "agent"}
              ],
              "organizations": [
                {"id": 70, "name": "Vip Co", "tags": ["vip"], "organization_fields": {}},
                {"id": 71, "name": "Small Co", "tags": ["smiley"], "organization_fields": {"account_tier": "Basic"}}
              ],
              "ticket_events": [
                {"id": 1, "ticket_id": 501, "updater_id": 11, "created_at": "2026-10-01T10:00:00Z", "child_events": [{"id": 2, "event_type": "Comment", "body": "I returned the jacket, when will the refund reach my card?", "public": true, "author_id": 11}]},
                {"id": 3, "ticket_id": 502, "updater_id": 12, "created_at": "2026-10-01T10:00:00Z", "child_events": [{"id": 4, "event_type": "Comment", "body": "I returned the shoes, when will the refund reach my card?", "public": true, "author_id": 12}]}
              ]
            }
            """);

        var today = await ReplayThenOverviewAsync(export, "zendesk");

        Assert.That(today["suggestions"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(today["escalations"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(today["drafts"]!.GetValue<int>(), Is.EqualTo(1));
    }
}
