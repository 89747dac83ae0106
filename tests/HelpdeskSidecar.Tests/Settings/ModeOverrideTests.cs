using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Settings;

/// <summary>
/// Mode per brand and per intent from outside: the sidecar runs in Shadow, an ops lead switches one brand to Live over
/// the API, and only that brand's tickets get their note through the (loopback) Zendesk API; an intent override and a
/// policy rule's own mode beat the brand's; each suggestion's trace says what set its mode.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ModeOverrideTests(string provider)
{
    private const long LiveBrand = 7001;
    private const long OtherBrand = 7002;
    private const string RefundQuestion = "The refund for my returned shoes has not reached my card yet, when will it arrive?";

    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;
    private HttpClient _opsLead = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .With("Sidecar:Mode=Shadow")
            .With(await StorageProviders.SettingsAsync(provider))
            .WithPolicy("""
                version: 1
                rules:
                  - name: unhappy-customer
                    match:
                      keywords: ["furious"]
                    mode: shadow
                    actions: [draft, summary]
                """)
            .WithArticle("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.\n")
            .WithHistory(IntentClassifierTests.History())
            .StartAsync();
        (_zendesk, _host) = (_scenario.Zendesk, _scenario.Host);
        _opsLead = _host.ClientWithToken(await _host.CreateTokenAsync(Role.OpsLead, "olivia"));
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        _opsLead?.Dispose();
        if (_scenario is not null)
            await _scenario.DisposeAsync();
    }

    [Test]
    public async Task GlobalShadow_BrandOverrideLive_OnlyThatBrandsTicketGetsItsNoteThroughZendesk()
    {
        using (var put = await PutModeAsync("brands", LiveBrand.ToString(), "live"))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var other = await SuggestedAsync(8102, OtherBrand, RefundQuestion, "evt-other");
        var live = await WrittenAsync(8101, LiveBrand, RefundQuestion, "evt-live");

        Assert.That(_zendesk.Puts(8101), Has.Count.EqualTo(1), "the Live brand's note went through the Zendesk API");
        Assert.That(_zendesk.Puts(8101)[0].Body, Does.Contain("[sidecar-suggestion:"));
        Assert.That(live["mode"]!.GetValue<string>(), Is.EqualTo("Live"));
        Assert.That(other["status"]!.GetValue<string>(), Is.EqualTo("Shadow"));
        Assert.That(other["mode"]!.GetValue<string>(), Is.EqualTo("Shadow"));
        Assert.That(_zendesk.Puts(8102), Is.Empty, "the other brand stays in shadow: nothing is written");

        var liveTrace = await PolicyTraceAsync(live);
        Assert.That(liveTrace["mode"]!.GetValue<string>(), Is.EqualTo("live"));
        Assert.That(liveTrace["mode_set_by"]!.GetValue<string>(), Is.EqualTo($"brand override:{LiveBrand}"));
        var otherTrace = await PolicyTraceAsync(other);
        Assert.That(otherTrace["mode_set_by"]!.GetValue<string>(), Is.EqualTo("Sidecar:Mode"));
    }

    [Test]
    public async Task IntentOverrideShadow_BeatsBrandOverrideLive()
    {
        using (await PutModeAsync("brands", LiveBrand.ToString(), "live")) { }
        using (var put = await PutModeAsync("intents", "refund_status", "shadow"))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var suggestion = await SuggestedAsync(8201, LiveBrand, RefundQuestion, "evt-intent");

        var trace = await PolicyTraceAsync(suggestion);
        Assert.That(suggestion["status"]!.GetValue<string>(), Is.EqualTo("Shadow"));
        Assert.That(trace["mode_set_by"]!.GetValue<string>(), Is.EqualTo("intent override:refund_status"));
        Assert.That(_zendesk.Puts(8201), Is.Empty);
    }

    [Test]
    public async Task PolicyRulesOwnModeShadow_BeatsBrandOverrideLive()
    {
        using (await PutModeAsync("brands", LiveBrand.ToString(), "live")) { }

        var suggestion = await SuggestedAsync(8301, LiveBrand, "I am furious: " + RefundQuestion, "evt-rule");

        var trace = await PolicyTraceAsync(suggestion);
        Assert.That(suggestion["status"]!.GetValue<string>(), Is.EqualTo("Shadow"));
        Assert.That(trace["rule"]!.GetValue<string>(), Is.EqualTo("unhappy-customer"));
        Assert.That(trace["mode_set_by"]!.GetValue<string>(), Is.EqualTo("rule:unhappy-customer"));
        Assert.That(_zendesk.Puts(8301), Is.Empty);
    }

    [Test]
    public async Task Inherit_DeletesTheOverride_AndTheNextTicketFollowsSidecarMode()
    {
        using (await PutModeAsync("brands", LiveBrand.ToString(), "live")) { }
        using (var put = await PutModeAsync("brands", LiveBrand.ToString(), "inherit"))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var settings = await _opsLead.GetFromJsonAsync<JsonObject>("/api/settings");
        Assert.That(settings!["overrides"]!["brands"]!.AsArray(), Is.Empty);
        var suggestion = await SuggestedAsync(8401, LiveBrand, RefundQuestion, "evt-inherit");
        Assert.That(suggestion["status"]!.GetValue<string>(), Is.EqualTo("Shadow"));
    }

    private Task<HttpResponseMessage> PutModeAsync(string scope, string key, string mode) =>
        _opsLead.PutAsJsonAsync($"/api/settings/modes/{scope}/{key}", new { mode });

    /// <summary>Sends the webhook and waits for the ticket's suggestion (any status).</summary>
    private async Task<JsonObject> SuggestedAsync(long ticketId, long brand, string question, string eventId)
    {
        _zendesk.AddTicket(ticketId, "Refund timing", question).BrandId = brand;
        using (var webhook = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(eventId, ticketId))))
            Assert.That(webhook.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var items = await Eventually.GetAsync(
            async () => (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray(),
            i => i.Count > 0, because: $"the suggestion for ticket {ticketId}");
        return items[0]!.AsObject();
    }

    private async Task<JsonObject> WrittenAsync(long ticketId, long brand, string question, string eventId)
    {
        var suggestion = await SuggestedAsync(ticketId, brand, question, eventId);
        var items = await Eventually.GetAsync(
            async () => (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray(),
            i => i[0]!["status"]!.GetValue<string>() == "Written", because: $"the note on ticket {ticketId}");
        Assert.That(items[0]!["id"]!.GetValue<string>(), Is.EqualTo(suggestion["id"]!.GetValue<string>()));
        return items[0]!.AsObject();
    }

    private async Task<JsonObject> PolicyTraceAsync(JsonObject suggestion)
    {
        var detail = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{suggestion["id"]!.GetValue<string>()}");
        return detail!["trace"]!["policy"]!.AsObject();
    }
}
