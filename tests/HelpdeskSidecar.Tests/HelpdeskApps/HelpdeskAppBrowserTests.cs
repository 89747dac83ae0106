using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.HelpdeskApps;

/// <summary>
/// The ticket-sidebar apps (manifests/zendesk/app, manifests/freshdesk/app) in Debian's Chromium: the app's own page,
/// served from loopback with a stand-in for the helpdesk's client object (<see cref="HelpdeskStandIn"/>), talking through
/// the stand-in's proxy to a real sidecar whose SQLite database holds real suggestions. Asserts what the agent sees, what
/// lands in the reply box, and what the sidecar stores (the verdict and the insertion).
/// </summary>
[NonParallelizable]
public sealed class HelpdeskAppBrowserTests
{
    private const string Ticket = "1001";
    private const string Draft = "Hi Ana, refunds reach your card within 5 business days [1]. Exchanges are free [2].";

    private Browser _browser = null!;
    private SidecarTestHost? _host;
    private HelpdeskStandIn? _standIn;
    private string _token = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _host = await SidecarTestHost.StartAsync();
        _token = await _host.CreateTokenAsync(Role.Agent, "helpdesk-app");
        _standIn = await HelpdeskStandIn.StartAsync(_host.BaseAddress, _token, Ticket);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_standIn is not null)
            await _standIn.DisposeAsync();
        if (_host is not null)
            await _host.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
    }

    [TestCase("zendesk", "/zendesk/assets/iframe.html")]
    [TestCase("freshdesk", "/freshdesk/index.html")]
    public async Task Panel_ShowsTheTicketsLatestDraft_InsertsIt_AndStoresInsertionAndVerdict(string helpdesk, string pagePath)
    {
        await AddAsync(helpdesk, "c1", SuggestionKind.Draft, "An older draft.", minutesAgo: 30);
        var id = await AddAsync(helpdesk, "c2", SuggestionKind.Draft, Draft, minutesAgo: 5);
        await AddAsync(helpdesk == "zendesk" ? "freshdesk" : "zendesk", "c9", SuggestionKind.Draft, "The other helpdesk's draft.", minutesAgo: 1);
        var page = await _browser.NewPageAsync(_standIn!.BaseAddress.ToString(), width: 360, height: 700);

        await page.GotoAsync(pagePath);

        var draft = page.Locator("[data-role=draft]");
        await Assertions.Expect(draft).ToHaveTextAsync(Draft);
        await Assertions.Expect(page.Locator("[data-role=kind]")).ToHaveTextAsync("Suggested reply");
        await Assertions.Expect(page.Locator("[data-role=confidence]")).ToHaveTextAsync("Confidence 82%");
        await Assertions.Expect(page.Locator("[data-role=intent]")).ToContainTextAsync("refund");
        await Assertions.Expect(page.Locator("[data-role=tags] .tag")).ToHaveTextAsync(["refund", "card"]);
        var links = page.Locator("[data-role=sources] a");
        await Assertions.Expect(links).ToHaveTextAsync(["Refund policy", "Exchanges"]);
        Assert.That(await links.Nth(0).GetAttributeAsync("href"), Is.EqualTo("https://help.example.com/articles/11-refund-policy"));
        Assert.That(await page.Locator("[data-role=sources] li").Nth(1).GetAttributeAsync("value"), Is.EqualTo("2"));
        await Browser.ScreenshotAsync(page, $"helpdesk-app-{helpdesk}");

        await page.ClickAsync("[data-action=insert]");

        await Assertions.Expect(page.Locator("[data-role=status]")).ToHaveTextAsync("Inserted into the reply.");
        Assert.That(await page.EvaluateAsync<string[]>("window.__standIn.inserted"), Is.EqualTo(new[] { Draft }));
        Assert.That(await InsertionsAsync(id), Is.EqualTo(new[] { helpdesk }));

        await page.FillAsync("#sidecar-reason", "added the order number");
        await page.ClickAsync("[data-verdict=edited]");

        await Assertions.Expect(page.Locator("[data-role=verdict]")).ToHaveTextAsync("Verdict: Used, edited");
        var stored = await _host!.Service<SuggestionStore>().GetAsync(id, CancellationToken.None);
        Assert.That((stored!.Verdict, stored.VerdictSource, stored.VerdictReason),
            Is.EqualTo((Verdicts.Edited, Verdicts.FromFeedback, "added the order number")));
        using var reports = _host.ClientWithToken(_host.AdminToken);
        var total = (await reports.GetFromJsonAsync<JsonNode>("/api/reports/acceptance"))!["total"]!;
        Assert.That(((int)total["inserted"]!, (int)total["inserted_edited"]!, (int)total["inserted_sent_as_is"]!), Is.EqualTo((1, 1, 0)));

        // The token stays with the helpdesk's proxy: not in the page, not in anything the app asked the client to send.
        var requests = await page.EvaluateAsync<string[]>("window.__standIn.requests");
        Assert.That(requests, Has.Length.GreaterThanOrEqualTo(3));
        Assert.That(requests, Has.None.Contains(_token));
        Assert.That(await page.ContentAsync(), Does.Not.Contain(_token));
        Assert.That(_standIn.Refused, Is.Empty);
    }

    [TestCase("zendesk", "/zendesk/assets/iframe.html", "ticket.updated")]
    [TestCase("freshdesk", "/freshdesk/index.html", "ticket.propertiesUpdated")]
    public async Task Panel_FetchesAgainWhenTheTicketChanges_AndExplainsAnEscalation(string helpdesk, string pagePath, string ticketEvent)
    {
        var page = await _browser.NewPageAsync(_standIn!.BaseAddress.ToString());
        await page.GotoAsync(pagePath);
        await Assertions.Expect(page.Locator("[data-role=empty]")).ToHaveTextAsync("No suggestion for this ticket yet.");

        await AddAsync(helpdesk, "c3", SuggestionKind.Escalation, null, minutesAgo: 0);
        await page.EvaluateAsync($"window.__standIn.events['{ticketEvent}'].forEach(function (f) {{ f(); }})");

        await Assertions.Expect(page.Locator("[data-role=kind]")).ToHaveTextAsync("Escalate to a person");
        await Assertions.Expect(page.Locator("[data-role=why]")).ToHaveTextAsync("The customer mentions a lawyer.");
        await Assertions.Expect(page.Locator("[data-role=summary]")).ToContainTextAsync("Customer asks for a refund");
        Assert.That(await page.Locator("[data-action=insert]").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("[data-verdict]").CountAsync(), Is.Zero);
    }

    private async Task<string[]> InsertionsAsync(string id)
    {
        await using var connection = await _host!.Service<Database>().OpenAsync();
        return [.. await connection.QueryAsync<string>("SELECT app FROM suggestion_insertions WHERE suggestion_id = @id", new { id })];
    }

    private async Task<string> AddAsync(string helpdesk, string trigger, SuggestionKind kind, string? draft, int minutesAgo)
    {
        var at = TimeProvider.System.GetUtcNow().AddMinutes(-minutesAgo);
        var id = Guid.CreateVersion7(at).ToString("N");
        await _host!.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = helpdesk, TicketId = Ticket, TriggerKey = trigger, CreatedAt = at, Kind = kind, Mode = "Shadow",
            Draft = draft, Note = draft ?? "Escalated: The customer mentions a lawyer.\nCustomer asks for a refund after 40 days.",
            Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", Confidence = 0.82, TimingsMs = new TraceTimings(1, 1, 1, 1),
                Sources =
                [
                    new TraceSource(1, 11, "Refund policy", "https://help.example.com/articles/11-refund-policy", "Refunds", 0.9, ["refund"]),
                    new TraceSource(2, 12, "Exchanges", "https://help.example.com/articles/12-exchanges", "Exchanges", 0.7, ["exchange"]),
                ],
                Understanding = new TicketUnderstanding
                {
                    Redactor = "test", Intent = new LabelScore("refund", 0.9), Tags = [new LabelScore("refund", 0.8), new LabelScore("card", 0.6)],
                },
                Policy = kind == SuggestionKind.Escalation
                    ? new PolicyDecision { Rule = "legal", Source = "built-in", Visibility = "internal", Escalate = true, EscalationReason = "The customer mentions a lawyer." }
                    : null,
            },
        }, CancellationToken.None);
        return id;
    }
}
