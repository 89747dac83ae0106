using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Reliability;

/// <summary>
/// Garbage at both webhooks over real HTTP: every request gets a 4xx (never a 5xx), nothing reaches the inbox, and
/// the service stays healthy. Authenticated variants get past the credentials check so the parser is what is tested.
/// </summary>
[TestFixture("zendesk")]
[TestFixture("freshdesk")]
public class BadRequestCorpusTests(string provider)
{
    private SidecarTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    public static IEnumerable<TestCaseData> Corpus()
    {
        yield return Case("empty body", [], auth: true);
        yield return Case("3 MB body", Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 3 * 1024 * 1024) + "\"}"), auth: true);
        yield return Case("3 MB body, chunked", Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 3 * 1024 * 1024) + "\"}"), auth: true, chunked: true);
        yield return Case("wrong content type", ValidPlaceholder, auth: true, contentType: "text/plain");
        yield return Case("invalid UTF-8 in a string", [.. "{\"id\":\""u8, 0xC3, 0x28, 0xFF, 0xFE, .. "\",\"ticket_id\":\"1\",\"triggered_event\":\"x\",\"type\":\"zen:event-type:ticket.created\"}"u8], auth: true);
        yield return Case("invalid UTF-8 outside strings", [0xFF, 0xFE, 0x7B, 0x7D], auth: true);
        yield return Case("20,000-deep nesting", Encoding.UTF8.GetBytes(new string('[', 20_000) + new string(']', 20_000)), auth: true);
        yield return Case("20,000-deep objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"freshdesk_webhook\":", 20_000)) + "1" + new string('}', 20_000)), auth: true);
        yield return Case("wrong types", Encoding.UTF8.GetBytes("""{"id":{"x":1},"type":["t"],"detail":{"id":{"deep":true}},"ticket_id":{"id":1},"triggered_event":[1]}"""), auth: true);
        yield return Case("missing fields", Encoding.UTF8.GetBytes("""{"account_id":1,"ticket_url":"https://x"}"""), auth: true);
        yield return Case("JSON null", "null"u8.ToArray(), auth: true);
        yield return Case("truncated JSON", "{\"id\":\"evt-x\",\"type\":\"zen:event-type:ticket.created\",\"ticket_id\":\"1\",\"triggered_event\":\"{ticket_ac"u8.ToArray(), auth: true);
        yield return Case("missing credentials", ValidPlaceholder, auth: false);
        yield return Case("bad credentials", ValidPlaceholder, auth: true, badCredentials: true);
    }

    private static TestCaseData Case(string name, byte[] body, bool auth, string? contentType = "application/json", bool chunked = false, bool badCredentials = false) =>
        new TestCaseData(new BadRequest(name, body, auth, contentType, chunked, badCredentials)).SetArgDisplayNames(name);

    /// <summary>Stands for a body each webhook would accept (replaced per provider), where the fault lies elsewhere.</summary>
    private static byte[] ValidPlaceholder => "{p}"u8.ToArray();

    [TestCaseSource(nameof(Corpus))]
    public async Task Post_BadInput_Gets4xxStoresNothingAndServiceStaysHealthy(BadRequest bad)
    {
        using var request = Build(bad);
        using var response = await _host.Client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.InRange(400, 499), $"{bad.Name}: {await response.Content.ReadAsStringAsync()}");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await InboxCountAsync(), Is.Zero);
        using var health = await _host.Client.GetAsync("/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Post_WholeCorpusConcurrently_No5xxAndAValidEventStillGoesThrough()
    {
        var tasks = Corpus().SelectMany(c => Enumerable.Repeat((BadRequest)c.Arguments[0]!, 3)).Select(async bad =>
        {
            using var request = Build(bad);
            using var response = await _host.Client.SendAsync(request);
            return (int)response.StatusCode;
        });
        var statuses = await Task.WhenAll(tasks);
        Assert.That(statuses, Is.All.InRange(400, 499));
        Assert.That(await InboxCountAsync(), Is.Zero);

        using var valid = provider == "zendesk"
            ? SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-after-garbage", 31))
            : SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(31));
        using var accepted = await _host.Client.SendAsync(valid);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await InboxCountAsync(), Is.EqualTo(1));
        await using var connection = await _host.Service<Database>().OpenAsync();
        await connection.ExecuteAsync("DELETE FROM inbox_events");
    }

    private HttpRequestMessage Build(BadRequest bad)
    {
        var body = bad.Body;
        if (Encoding.UTF8.GetString(body) == "{p}")
        {
            body = Encoding.UTF8.GetBytes(provider == "zendesk" ? SidecarTestHost.TicketEvent("evt-corpus", 30) : SidecarTestHost.FreshdeskEvent(30));
        }
        HttpContent content = bad.Chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        if (bad.ContentType is not null)
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(bad.ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{provider}") { Content = content };
        if (bad.Chunked)
            request.Headers.TransferEncodingChunked = true;
        if (!bad.Authenticated)
            return request;
        if (provider == "zendesk")
        {
            var timestamp = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ");
            var secret = bad.BadCredentials ? "not-the-secret" : SidecarTestHost.Secret;
            request.Headers.Add(ZendeskWebhookEndpoint.SignatureHeader, ZendeskSignature.Compute(secret, timestamp, body));
            request.Headers.Add(ZendeskWebhookEndpoint.TimestampHeader, timestamp);
        }
        else
        {
            var password = bad.BadCredentials ? "not-the-secret" : SidecarTestHost.FreshdeskSecret;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"freshdesk:{password}")));
        }
        return request;
    }

    private async Task<long> InboxCountAsync()
    {
        await using var connection = await _host.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events");
    }

    public sealed record BadRequest(string Name, byte[] Body, bool Authenticated, string? ContentType, bool Chunked, bool BadCredentials);
}
