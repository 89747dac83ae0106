using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Helpdesks.History;

/// <summary>
/// The requester's recent tickets through the real Zendesk and Freshdesk clients, against the loopback fakes, with every
/// request checked against the recorded contracts (Zendesk Support OpenAPI; Freshdesk's List All Tickets documentation).
/// </summary>
public class RequestedTicketsTests
{
    private static readonly DateTimeOffset Day = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Zendesk_ListsRequestedTicketsNewestFirst_MappedAndAskedAsTheSpecSays()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.RequestedTickets[301] = new(301, "Parcel late", "solved", Day.AddDays(-20));
        zendesk.RequestedTickets[302] = new(302, "Refund please", "open", Day.AddDays(-2));
        zendesk.RequestedTickets[303] = new(303, "Login broken", "pending", Day.AddDays(-5));
        var client = HelpdeskClients.Zendesk(new ZendeskOptions { BaseUrl = zendesk.BaseUrl, Email = "bot@example.com", ApiToken = "t0ken" });

        var tickets = await client.GetRequestedTicketsAsync(FakeZendesk.CustomerId.ToString(), 2, CancellationToken.None);

        Assert.That(tickets.Select(t => (t.Id, t.Subject, t.Status)), Is.EqualTo(new[] { ("302", "Refund please", "open"), ("303", "Login broken", "pending") }));
        Assert.That(tickets[0].CreatedAt, Is.EqualTo(Day.AddDays(-2)));
        Assert.That(tickets[0].IsOpen && tickets[1].IsOpen, Is.True);
        var read = zendesk.HistoryReads().Single();
        Assert.That(read.PathAndQuery, Is.EqualTo($"/api/v2/users/{FakeZendesk.CustomerId}/tickets/requested?sort_by=created_at&sort_order=desc&per_page=2"));
        if (ZendeskOpenApi.FindSpecPath() is { } spec)
        {
            var oas = ZendeskOpenApi.Load(spec);
            Assert.That(oas.ValidateRequest("GET", read.PathAndQuery, null), Is.Empty);
            Assert.That(oas.ValidateRequest("GET", $"/api/v2/users/1/tickets/requested?sort_by=newest", null), Is.Not.Empty, "negative control: sort_by enum");
        }
    }

    [Test]
    public async Task Zendesk_UnknownRequester_HasNoTickets_ServerError_Throws()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        var client = HelpdeskClients.Zendesk(new ZendeskOptions { BaseUrl = zendesk.BaseUrl, Email = "bot@example.com", ApiToken = "t0ken" });

        Assert.That(await client.GetRequestedTicketsAsync("999", 10, CancellationToken.None), Is.Empty, "404: a requester Zendesk does not know");
        zendesk.RequestedTicketsFailure = 422;
        Assert.ThrowsAsync<HelpdeskException>(() => client.GetRequestedTicketsAsync(FakeZendesk.CustomerId.ToString(), 10, CancellationToken.None));
    }

    [Test]
    public async Task Freshdesk_ListsTheRequestersTickets_StatusNumbersInTheNeutralWords_AskedAsTheDocsSay()
    {
        await using var freshdesk = await FakeFreshdesk.StartAsync();
        freshdesk.RequestedTickets[401] = new(401, "Parcel late", "solved", Day.AddDays(-20));
        freshdesk.RequestedTickets[402] = new(402, "Refund please", "pending", Day.AddDays(-2));
        freshdesk.RequestedTickets[403] = new(403, "Closed one", "closed", Day.AddDays(-9));
        var client = HelpdeskClients.Freshdesk(new FreshdeskOptions { BaseUrl = freshdesk.BaseUrl, ApiKey = FakeFreshdesk.ApiKey });

        var tickets = await client.GetRequestedTicketsAsync(FakeFreshdesk.CustomerId.ToString(), 10, CancellationToken.None);

        Assert.That(tickets.Select(t => (t.Id, t.Status)), Is.EqualTo(new[] { ("402", "pending"), ("403", "closed"), ("401", "solved") }));
        Assert.That(tickets.Count(t => t.IsOpen), Is.EqualTo(1));
        var read = freshdesk.HistoryReads().Single();
        Assert.That(read.PathAndQuery, Is.EqualTo($"/api/v2/tickets?order_by=created_at&order_type=desc&requester_id={FakeFreshdesk.CustomerId}&per_page=10"));
        if (FreshdeskTicketListContract.FindDocsPath() is { } docs)
        {
            var contract = FreshdeskTicketListContract.Load(docs);
            Assert.That(contract.ValidateRequest("GET", read.PathAndQuery), Is.Empty);
            Assert.That(contract.ValidateRequest("GET", "/api/v2/tickets?requester=5"), Is.Not.Empty, "negative control: undocumented parameter");
            Assert.That(contract.ValidateRequest("GET", "/api/v2/tickets?order_by=priority"), Is.Not.Empty, "negative control: undocumented sort field");
        }
    }
}
