using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// From outside: a ticket the knowledge base cannot answer becomes a knowledge gap, and the gap report shows its
/// question as a redacted excerpt, with the customer's e-mail address and phone number replaced by placeholders.
/// </summary>
public class KnowledgeGapReportTests
{
    [Test]
    public async Task UnanswerableTicketWithPii_GapReportShowsARedactedExcerpt()
    {
        await using var scenario = await SidecarScenario.Create()
            .WithZendesk()
            .WithArticle("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")
            .StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);

        zendesk.AddTicket(9101, "Partnership", "Hello, we run a marketplace of handmade ceramics and want to discuss a wholesale partnership. Write to jo.smith@example.org or call +44 7700 900123.");
        using (var sent = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-gap-1", 9101))))
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var report = await Eventually.GetAsync(() => host.Client.GetFromJsonAsync<JsonObject>("/api/reports/gaps"),
            r => r!["total"]!["gaps"]!.GetValue<int>() == 1, because: "the gap to be recorded");
        var example = report!["groups"]!.AsArray().Single()!["examples"]!.AsArray().Single()!.GetValue<string>();
        Assert.That(example, Does.StartWith("Hello, we run a marketplace of handmade ceramics"));
        Assert.That(example, Does.Contain("[EMAIL_1]").And.Contain("[PHONE_1]"));
        Assert.That(example, Does.Not.Contain("jo.smith").And.Not.Contain("7700"));

        var overview = await host.Client.GetFromJsonAsync<JsonObject>("/api/reports/overview");
        Assert.That(overview!["today"]!["knowledge_gaps"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(overview["mode"]!.GetValue<string>(), Is.EqualTo("shadow"));
        Assert.That(zendesk.CustomerReads(), Is.Empty, "no policy segments: requester and organization data is never read");
    }
}
