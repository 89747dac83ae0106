using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// The walking skeleton from outside: a signed webhook → inbox → Hangfire → pipeline → exactly one internal
/// note on a loopback Zendesk that cites the right article by title.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class WebhookToNoteTests(string provider)
{
    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .With(await StorageProviders.SettingsAsync(provider))
            .WithArticle("refunds.md", """
                # How refunds work

                ## Asking for a refund
                You can ask for a refund within 30 days of delivery from the Orders page. Choose the order, press Request refund and pick a reason.

                ## When the money arrives
                Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.
                """)
            .WithArticle("passwords.html", """
                <html><body><h1>Reset your password</h1>
                <h2>Forgotten password</h2><p>Use the Forgot password link on the sign-in page. The reset email expires after one hour.</p>
                </body></html>
                """)
            .WithArticle("shipping.txt", "Shipping to islands\n\nDeliveries to islands take two extra working days because parcels travel by ferry.")
            .StartAsync();
        (_zendesk, _host) = (_scenario.Zendesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_scenario is not null)
            await _scenario.DisposeAsync();
    }

    [Test]
    public async Task SignedTicketCreated_LiveMode_WritesOnePrivateNoteCitingTheRightArticle()
    {
        _zendesk.AddTicket(4242, "Refund for my returned jacket",
            "Hello, I sent the jacket back two weeks ago. When will the refund reach my card?",
            "The warehouse says it received the returned item on Monday.",
            "Please tell me when the money arrives.");

        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-e2e-1", 4242)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var puts = await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(4242)), p => p.Count >= 1, because: "the internal note");
        var body = JsonNode.Parse(puts[0].Body!)!;
        var comment = body["ticket"]!["comment"]!;
        Assert.That(comment["public"]!.GetValue<bool>(), Is.False);
        var note = comment["body"]!.GetValue<string>();
        Assert.That(note, Does.Contain("[1] How refunds work"));
        Assert.That(note, Does.Contain("5 to 10 business days"));
        Assert.That(note, Does.Contain("[sidecar-suggestion:"));
        Assert.That(note, Does.Not.Contain("Reset your password"));
        Assert.That(puts[0].Authorization, Does.StartWith("Basic "));

        // The comment list was read through its cursor: three customer messages at two per page.
        Assert.That(_zendesk.Requests.Count(r => r.PathAndQuery.Contains("/comments", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2));

        // The suggestion is visible through the API, with its trace.
        var list = await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=4242");
        var item = list!["items"]!.AsArray().Single()!;
        Assert.That(item["ticket_id"]!.GetValue<string>(), Is.EqualTo("4242"));
        Assert.That(item["draft"]!.GetValue<string>(), Does.Contain("[1]"));
        var detail = await Eventually.GetAsync(
            () => _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{item["id"]!.GetValue<string>()}"),
            d => d!["status"]!.GetValue<string>() == "Written", because: "the suggestion to be marked written");
        Assert.That(detail!["trace"]!["event_ids"]!.AsArray().Select(e => e!.GetValue<string>()), Does.Contain("evt-e2e-1"));
        Assert.That(detail["trace"]!["sources"]![0]!["title"]!.GetValue<string>(), Is.EqualTo("How refunds work"));
    }

    [Test]
    public async Task DuplicateDeliveryAndBurst_MakeOneRunAndOneNote()
    {
        _zendesk.AddTicket(5151, "Password reset link expired", "My password reset email link expired, how do I reset my password?");
        var body = SidecarTestHost.TicketEvent("evt-burst-1", 5151);
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body))) { }
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body))) { }
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-burst-2", 5151, "ticket.comment_added")))) { }

        await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(5151)), p => p.Count >= 1, because: "the internal note");
        var suggestion = await Eventually.GetAsync(
            () => _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=5151"),
            l => l!["items"]!.AsArray().Count == 1, because: "one suggestion");
        Assert.That(suggestion!["items"]![0]!["draft"]!.GetValue<string>(), Does.Contain("Forgot password"));

        // A late redelivery after the note exists changes nothing.
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body))) { }
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-burst-3", 5151, "ticket.comment_added")))) { }
        await Eventually.GetAsync(() => Task.FromResult(_zendesk.Requests.Count(r => r.Method == "GET" && r.PathAndQuery == "/api/v2/tickets/5151")),
            n => n >= 2, because: "the second run to load the ticket");
        // …and to finish, with nothing left to write: then no second note can still be on its way.
        await HangfireJobs.QuietAsync(_host, "the second run and any write-back to complete");
        Assert.That(_zendesk.Puts(5151), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UnknownTopic_WritesKnowledgeGapNoteWithoutDraft()
    {
        _zendesk.AddTicket(6161, "Partnership proposal", "We are a marketing agency proposing a partnership and sponsorship deal for your brand.");
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-gap", 6161)))) { }
        var puts = await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(6161)), p => p.Count >= 1, because: "the gap note");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        Assert.That(note, Does.Contain("no confident answer"));
        Assert.That(note, Does.Not.Contain("--- Draft ---"));
    }

    [Test]
    public async Task RequestsSentToZendesk_ValidateAgainstTheSupportOpenApi()
    {
        var spec = ZendeskOpenApi.FindSpecPath();
        if (spec is null)
            Assert.Ignore("../shared/contracts/zendesk/oas/support-oas.yaml is not beside the repository; the OpenAPI check needs it.");

        _zendesk.AddTicket(7171, "Refund timing", "When will my refund arrive on my card after the return?", "Still waiting for the money.");
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-oas", 7171)))) { }
        await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(7171)), p => p.Count >= 1, because: "the internal note");

        var openApi = ZendeskOpenApi.Load(spec!);
        var requests = _zendesk.Requests.Where(r => r.PathAndQuery.Contains("/7171", StringComparison.Ordinal)).ToList();
        Assert.That(requests.Select(r => r.Method), Is.SupersetOf(new[] { "GET", "PUT" }));
        foreach (var request in requests)
        {
            var errors = openApi.ValidateRequest(request.Method, request.PathAndQuery, request.Body, rejectReadOnly: true);
            Assert.That(errors, Is.Empty, $"{request.Method} {request.PathAndQuery}");
        }
    }
}
