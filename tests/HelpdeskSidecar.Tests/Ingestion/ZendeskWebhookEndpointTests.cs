using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Ingestion;

[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ZendeskWebhookEndpointTests(string provider)
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
    public async Task Post_SignedTicketCreated_Returns202AndStoresEvent()
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-1", 5158)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var row = await InboxRowAsync("evt-1");
        Assert.That(row, Is.Not.Null);
        Assert.That(row!.Value.TicketId, Is.EqualTo("5158"));
        Assert.That(row.Value.EventType, Is.EqualTo("zen:event-type:ticket.created"));
    }

    [Test]
    public async Task Post_RecordedCommentAddedExample_IsAccepted()
    {
        var body = Fixtures.Text("zendesk/event_ticket_comment_added.json");
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await InboxRowAsync("d4f5c389-8f4a-4c2e-a1b9-8e4f39c71d52"), Is.Not.Null);
    }

    [Test]
    public async Task Post_BadSignature_Returns401ProblemAndStoresNothing()
    {
        var request = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-bad", 1), secret: "wrong-secret");
        using var response = await _host.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await InboxRowAsync("evt-bad"), Is.Null);
    }

    [Test]
    public async Task Post_TamperedBody_Returns401()
    {
        var request = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-t", 1));
        var signature = request.Headers.GetValues(ZendeskWebhookEndpoint.SignatureHeader).Single();
        var timestamp = request.Headers.GetValues(ZendeskWebhookEndpoint.TimestampHeader).Single();
        var tampered = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-t", 2), timestamp);
        tampered.Headers.Remove(ZendeskWebhookEndpoint.SignatureHeader);
        tampered.Headers.Add(ZendeskWebhookEndpoint.SignatureHeader, signature);
        using var response = await _host.Client.SendAsync(tampered);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase(-6)]
    [TestCase(6)]
    public async Task Post_TimestampOutsideReplayWindow_Returns401(int minutes)
    {
        var stale = TimeProvider.System.GetUtcNow().AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ");
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-old", 1), stale));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await InboxRowAsync("evt-old"), Is.Null);
    }

    [Test]
    public async Task Post_MissingSignatureHeaders_Returns401()
    {
        using var content = new StringContent(SidecarTestHost.TicketEvent("evt-n", 1), Encoding.UTF8, "application/json");
        using var response = await _host.Client.PostAsync("/webhooks/zendesk", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Post_SignedMalformedJson_Returns400Problem()
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook("{\"id\": \"x\", \"type\": "));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [TestCase("""{"id":"e1","type":"zen:event-type:ticket.created","detail":{"id":{"n":1}}}""", "$.detail.id must be a string or number.")]
    [TestCase("""{"id":"e1","type":"zen:event-type:ticket.created","detail":"123"}""", "$.detail must be an object.")]
    [TestCase("""{"id":"e1","type":"zen:event-type:ticket.created","time":"yesterday","detail":{"id":"1"}}""", "$.time must be a date and time string (ISO 8601).")]
    [TestCase("""{"id":["e1"],"type":"zen:event-type:ticket.created","detail":{"id":"1"}}""", "$.id must be a string.")]
    [TestCase("""[1,2]""", "$ must be an object.")]
    public async Task Post_SignedJsonOfTheWrongShape_Returns400NamingThePathAndShape(string body, string detail)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo(detail));
        Assert.That(problem.ToJsonString(), Does.Not.Contain("HelpdeskSidecar").And.Not.Contain("System."));
    }

    [Test]
    public async Task Post_SignedEnvelopeWithoutIdOrTicket_Returns400WithFieldErrors()
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook("""{"type":"zen:event-type:ticket.created","detail":{"id":"abc"}}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "id", "detail.id" }));
    }

    [Test]
    public async Task Post_WrongContentType_Returns415()
    {
        var request = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-ct", 1));
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var response = await _host.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task Post_SignedWrongContentType_Is415ProblemSayingSendJson()
    {
        var request = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-ct2", 1));
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var response = await _host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]?.GetValue<string>(), Does.StartWith("Send the body as application/json"));
        Assert.That(await InboxRowAsync("evt-ct2"), Is.Null);
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")] // what curl -d sends when told nothing else
    public async Task Post_UnsignedWithWrongContentType_Returns401(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zendesk")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(SidecarTestHost.TicketEvent("evt-unsigned", 1))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        using var response = await _host.AnonymousClient.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await InboxRowAsync("evt-unsigned"), Is.Null);
    }

    [Test]
    public async Task Post_BodyOverLimit_Returns413()
    {
        var huge = SidecarTestHost.TicketEvent("evt-big", 1).Replace("A subject", new string('x', 300 * 1024));
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(huge));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await InboxRowAsync("evt-big"), Is.Null);
    }

    [Test]
    public async Task Post_DuplicateDelivery_Returns202AndStoresOneRow()
    {
        var body = SidecarTestHost.TicketEvent("evt-dup", 77);
        using var first = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body));
        using var second = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(JsonNode.Parse(await second.Content.ReadAsStringAsync())!["duplicate"]!.GetValue<bool>(), Is.True);
        await using var connection = await _host.Service<Database>().OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE dedupe_key = 'evt-dup'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_EventTypeWeDoNotActOn_IsStoredAndAcknowledged()
    {
        var body = """{"id":"evt-user","type":"zen:event-type:user.created","subject":"zen:user:1","detail":{"id":"1"},"event":{}}""";
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var row = await Eventually.GetAsync(() => InboxRowAsync("evt-user"), r => r?.Disposition is not null, because: "the dispatcher to look at the event");
        Assert.That(row!.Value.Disposition, Is.EqualTo("ignored"));
        Assert.That(row.Value.TicketId, Is.Null);
    }

    [Test]
    public async Task Post_ManyConcurrentEvents_EachIsCommittedWhenItsResponseArrives()
    {
        var database = _host.Service<Database>();
        var tasks = Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent($"evt-c{i}", 1000 + i)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            // Read through a connection of our own, right after the 202: the row must already be there.
            await using var connection = await database.OpenAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE dedupe_key = @key", new { key = $"evt-c{i}" });
        });
        var counts = await Task.WhenAll(tasks);
        Assert.That(counts, Is.All.EqualTo(1));
    }

    private async Task<(string? TicketId, string EventType, string? Disposition)?> InboxRowAsync(string eventId)
    {
        await using var connection = await _host.Service<Database>().OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<(string? TicketId, string EventType, string? Disposition)?>(
            "SELECT ticket_id, event_type, disposition FROM inbox_events WHERE dedupe_key = @eventId", new { eventId });
    }
}
