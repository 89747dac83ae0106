using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Ingestion;

[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class FreshdeskWebhookEndpointTests(string provider)
{
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_host is not null)
            await _host.DisposeAsync();
    }

    [Test]
    public async Task Post_WithoutCredentials_Returns401ProblemAndStoresNothing()
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11), password: null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [TestCase("wrong-secret")]
    [TestCase("")]
    [TestCase("test-freshdesk-webhook-secre")]
    [TestCase("test-freshdesk-webhook-secret-and-more")]
    public async Task Post_WrongBasicPassword_Returns401(string password)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11), password));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Post_SecretAsBasicUserNameInsteadOfPassword_Returns401()
    {
        var request = SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11), password: "x", user: SidecarTestHost.FreshdeskSecret);
        using var response = await _host.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Post_BasicAuthAnyUserName_Returns202AndStoresFreshdeskEvent()
    {
        var request = SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11), user: "agent@acme.example");
        using var response = await _host.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var rows = await RowsAsync();
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Provider, Is.EqualTo("freshdesk"));
        Assert.That(rows[0].TicketId, Is.EqualTo("11"));
        Assert.That(rows[0].EventType, Is.EqualTo("{ticket_action:created}"));
        Assert.That(rows[0].DedupeKey, Is.EqualTo("11:{ticket_action:created}:2026-01-01T10:00:00Z"));
    }

    [Test]
    public async Task Post_SecretInHeader_Returns202()
    {
        var request = SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(12), password: null);
        request.Headers.Add(FreshdeskWebhookSecret.Header, SidecarTestHost.FreshdeskSecret);
        using var response = await _host.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_WrongSecretInHeader_Returns401()
    {
        var request = SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(12), password: null);
        request.Headers.Add(FreshdeskWebhookSecret.Header, "not-it");
        using var response = await _host.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("webhook_ticket_created.json", "{ticket_action:created}")]
    [TestCase("webhook_public_note.json", "{note_type:public}")]
    [TestCase("webhook_private_note.json", "{note_type:private}")]
    [TestCase("webhook_status_changed.json", "{status:{from:4,to:6}}")]
    public async Task Post_RecordedAutomationRulePayloads_AreAccepted(string fixture, string eventType)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(Fixtures.Text("freshdesk/" + fixture)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var row = (await RowsAsync()).Single();
        Assert.That(row.TicketId, Is.EqualTo("11"));
        Assert.That(row.EventType, Is.EqualTo(eventType));
        Assert.That(row.DedupeKey, Does.StartWith($"11:{eventType}:sha256:"));
    }

    [Test]
    public async Task Post_UnwrappedPayloadWithNumericId_IsAccepted()
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook("""{"ticket_id": 4711, "triggered_event": "{ticket_action:created}"}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await RowsAsync()).Single().TicketId, Is.EqualTo("4711"));
    }

    [TestCase("""{"freshdesk_webhook": {"ticket_id": "11"}}""", "triggered_event")]
    [TestCase("""{"freshdesk_webhook": {"triggered_event": "{ticket_action:created}"}}""", "ticket_id")]
    [TestCase("""{"ticket_id": "eleven", "triggered_event": "{ticket_action:created}"}""", "ticket_id")]
    [TestCase("""{}""", "ticket_id")]
    public async Task Post_MissingOrBadFields_Returns400WithFieldErrors(string body, string field)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [TestCase("""{"ticket_id": {"id": 1}, "triggered_event": "x"}""", "$.ticket_id must be a string or number.")]
    [TestCase("""{"ticket_id": "1", "triggered_event": 42}""", "$.triggered_event must be a string.")]
    [TestCase("""{"freshdesk_webhook": [1]}""", "$.freshdesk_webhook must be an object.")]
    [TestCase("""[1, 2, 3]""", "$ must be an object.")]
    [TestCase("""{"ticket_id": "1", """, "The body is not valid JSON: ")]
    public async Task Post_WrongTypesOrMalformedJson_Returns400SayingWhereAndWhat(string body, string detail)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.StartWith(detail));
        Assert.That(problem.ToJsonString(), Does.Not.Contain("HelpdeskSidecar").And.Not.Contain("System."));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Post_WrongContentType_Returns415()
    {
        var request = SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11));
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await _host.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task Post_WrongContentType_Is415ProblemSayingSendJson()
    {
        var request = SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(12));
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await _host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]?.GetValue<string>(), Does.StartWith("Send the body as application/json"));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")] // what curl -d sends when told nothing else
    public async Task Post_NoSecretWithWrongContentType_Returns401(string contentType)
    {
        var request = SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(13), password: null);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await _host.AnonymousClient.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Post_DuplicateDelivery_Returns202DuplicateAndStoresOneRow()
    {
        var body = Fixtures.Text("freshdesk/webhook_public_note.json");
        using var first = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(body));
        using var second = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(body));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(JsonNode.Parse(await first.Content.ReadAsStringAsync())!["duplicate"]!.GetValue<bool>(), Is.False);
        Assert.That(JsonNode.Parse(await second.Content.ReadAsStringAsync())!["duplicate"]!.GetValue<bool>(), Is.True);
        Assert.That(await CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_SameTicketLaterUpdate_IsANewEvent()
    {
        using (await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11, "{note_type:public}", "2026-01-01T10:00:00Z")))) { }
        using (await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11, "{note_type:public}", "2026-01-01T10:05:00Z")))) { }
        Assert.That(await CountAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task Post_PrivateNoteEvent_IsStoredButIgnored()
    {
        using (await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(Fixtures.Text("freshdesk/webhook_private_note.json")))) { }
        using (await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(Fixtures.Text("freshdesk/webhook_public_note.json")))) { }
        var rows = await Eventually.GetAsync(RowsAsync, r => r.All(x => x.Disposition is not null), because: "the dispatcher to look at both events");
        Assert.That(rows.Single(r => r.EventType == "{note_type:private}").Disposition, Is.EqualTo("ignored"));
        Assert.That(rows.Single(r => r.EventType == "{note_type:public}").Disposition, Is.EqualTo("scheduled"));
    }

    private async Task<long> CountAsync()
    {
        await using var connection = await _host.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events");
    }

    private async Task<List<InboxRow>> RowsAsync()
    {
        await using var connection = await _host.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<InboxRow>(
            "SELECT provider AS Provider, dedupe_key AS DedupeKey, event_type AS EventType, ticket_id AS TicketId, disposition AS Disposition FROM inbox_events ORDER BY id")).ToList();
    }

    private sealed record InboxRow(string Provider, string DedupeKey, string EventType, string? TicketId, string? Disposition);
}

public class FreshdeskWebhookWithoutSecretTests
{
    [Test]
    public async Task Post_NoSecretConfigured_Returns401EvenWithCredentials()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Freshdesk:WebhookSecret="]);
        using var response = await host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(11)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Sidecar:Freshdesk:WebhookSecret"));
    }
}
