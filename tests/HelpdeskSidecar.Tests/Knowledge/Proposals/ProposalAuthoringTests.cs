using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Tests.TestSupport;
using static HelpdeskSidecar.Tests.Knowledge.Proposals.ProposalTestData;

namespace HelpdeskSidecar.Tests.Knowledge.Proposals;

/// <summary>
/// Issue 19 item 3: a solved ticket that got a knowledge-gap suggestion turns the agent's (redacted) answer into a
/// draft article proposal; similar questions merge; the review API answers bad input with problem details.
/// Real host, real pipeline and store on SQLite and PostgreSQL, the loopback Zendesk.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ProposalAuthoringTests(string provider)
{
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var storage = await StorageProviders.SettingsAsync(provider);
        _zendesk = await FakeZendesk.StartAsync();
        _host = await SidecarTestHost.StartAsync([.. _zendesk.ConnectionSettings, .. storage]);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_zendesk is not null)
            await _zendesk.DisposeAsync();
    }

    private ZendeskClient Zendesk => _host.Service<ZendeskClient>();

    private async Task<JsonArray> ProposalsAsync() =>
        (await _host.Client.GetFromJsonAsync<JsonObject>("/api/knowledge/proposals"))!["items"]!.AsArray();

    [Test]
    public async Task SolvedGapTicket_ThroughTheWebhook_AgentAnswerBecomesARedactedProposal()
    {
        // No knowledge at all: the pipeline can only say "knowledge gap".
        var ticket = _zendesk.AddTicket(9101, "Courier job application - Porto",
            "I'd like to apply for a courier job in Porto. Where do I send my CV? Reach me at casey.customer@example.com or +1 555 0142.");
        using (var sent = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-author-1", 9101))))
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var gap = await Eventually.GetAsync(
            async () => (await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=9101"))!["items"]!.AsArray(),
            items => items.Count == 1, because: "the gap suggestion");
        Assert.That(gap[0]!["kind"]!.GetValue<string>(), Is.EqualTo("KnowledgeGap"));
        Assert.That(await ProposalsAsync(), Is.Empty, "an open ticket proposes nothing");

        ticket.AddComment(FakeZendesk.AgentId,
            "Hi Casey,\n\nThanks for your interest in driving for us! Support can't take job applications, but open courier roles are on our careers page.\n"
            + "Write to jobs@parcelly.example with your CV and mention Porto; we'll confirm to casey.customer@example.com within a week.\n\nBest regards,\nAlex", isPublic: true);
        ticket.AddTag("other");
        ticket.Status = "solved";
        using (var sent = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-author-2", 9101, "ticket.status_changed"))))
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var proposals = await Eventually.GetAsync(ProposalsAsync, p => p.Count == 1, because: "a proposal from the solved gap");
        var proposal = proposals[0]!;
        Assert.That(proposal["status"]!.GetValue<string>(), Is.EqualTo("proposed"));
        Assert.That(proposal["provider"]!.GetValue<string>(), Is.EqualTo("zendesk"));
        Assert.That(proposal["title"]!.GetValue<string>(), Is.EqualTo("Courier job application - Porto"));
        var answer = proposal["answer"]!.GetValue<string>();
        Assert.That(answer, Does.StartWith("Thanks for your interest in driving for us!"), "the greeting naming the customer is gone");
        Assert.That(answer, Does.Contain("open courier roles are on our careers page"));
        Assert.That(answer, Does.Not.Contain("casey.customer@example.com").And.Not.Contain("Casey").And.Not.Contain("jobs@parcelly.example"), "redacted");
        Assert.That(answer, Does.Contain("[EMAIL_"));
        Assert.That(answer, Does.Not.Contain("Best regards").And.Not.Contain("Alex"), "the sign-off naming the agent is gone");
        var question = proposal["questions"]!.AsArray().Single()!;
        Assert.That(question["ticket_id"]!.GetValue<string>(), Is.EqualTo("9101"));
        Assert.That(question["suggestion_id"]!.GetValue<string>(), Is.EqualTo(gap[0]!["id"]!.GetValue<string>()));
        Assert.That(question["question"]!.GetValue<string>(), Does.Contain("apply for a courier job").And.Not.Contain("casey.customer@example.com").And.Not.Contain("0142"));
        Assert.That(proposal["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain("other"));

        // The ticket is loaded again (another event): the gap is proposed once.
        await TrackAsync(_host, Zendesk, "9101");
        Assert.That((await ProposalsAsync()).Single()!["questions"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task SolvedWithoutAPublicAnswer_NoProposal()
    {
        var ticket = _zendesk.AddTicket(9111, "Press enquiry", "Could your press office comment on your electric vans?");
        await GapAsync(_host, Zendesk, "9111", "Could your press office comment on your electric vans?");
        ticket.AddComment(FakeZendesk.AgentId, "Forwarded to press, closing.", isPublic: false);
        ticket.Status = "solved";
        await TrackAsync(_host, Zendesk, "9111");
        Assert.That(await ProposalsAsync(), Is.Empty, "a private note is not an answer");
    }

    [Test]
    public async Task SimilarQuestions_MergeIntoOneProposal_AnotherThemeStaysApart()
    {
        (long Id, string Subject, string Question, string Answer)[] tickets =
        [
            (9121, "Courier job application - Porto", "I have five years of experience as a van driver and would like to apply for a courier position with Parcelly in the Porto area. Where should I send my CV?",
                "Support can't process job applications; open courier roles are published on our careers page."),
            (9122, "Driver jobs in Lisbon?", "Hello, are you hiring delivery drivers in Lisbon? I would like to apply for a job, how do I send my application?",
                "Please apply through the careers page; recruiting reviews every application."),
            (9123, "Press enquiry: electric van fleet", "Hello, I'm a reporter writing about delivery companies switching to electric vans. Could someone give me numbers on your EV fleet and a short quote?",
                "Support can't give statements; I've forwarded your request to our press office."),
        ];
        foreach (var t in tickets)
        {
            var ticket = _zendesk.AddTicket(t.Id, t.Subject, t.Question);
            await GapAsync(_host, Zendesk, Id(t.Id), t.Question);
            ticket.AddComment(FakeZendesk.AgentId, t.Answer, isPublic: true);
            ticket.Status = "solved";
            await TrackAsync(_host, Zendesk, Id(t.Id));
        }

        var proposals = (await ProposalsAsync()).Select(p => p!).OrderBy(p => p["created_at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.That(proposals, Has.Count.EqualTo(2), "two job questions, one press enquiry");
        Assert.That(proposals[0]["questions"]!.AsArray().Select(q => q!["ticket_id"]!.GetValue<string>()), Is.EqualTo(new[] { "9121", "9122" }));
        Assert.That(proposals[0]["answer"]!.GetValue<string>(), Does.Contain("careers page"), "the first answer stays until an ops lead edits it");
        Assert.That(proposals[1]["questions"]!.AsArray().Select(q => q!["ticket_id"]!.GetValue<string>()), Is.EqualTo(new[] { "9123" }));
    }

    [Test]
    public async Task ReviewApi_BadInput_GetsProblemDetails()
    {
        var ticket = _zendesk.AddTicket(9131, "Partnership proposal", "We'd love to discuss discounted shipping rates for our marketplace sellers.");
        await GapAsync(_host, Zendesk, "9131", "We'd love to discuss discounted shipping rates for our marketplace sellers.");
        ticket.AddComment(FakeZendesk.AgentId, "Our business development team handles partnerships; I've forwarded your message.", isPublic: true);
        ticket.Status = "closed";
        await TrackAsync(_host, Zendesk, "9131");
        var id = (await ProposalsAsync()).Single()!["id"]!.GetValue<string>();

        async Task<(HttpStatusCode Status, JsonObject? Problem, string? Type)> SendAsync(HttpMethod method, string path, string? json = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null)
                request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await _host.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null, response.Content.Headers.ContentType?.MediaType);
        }

        var empty = await SendAsync(HttpMethod.Put, $"/api/knowledge/proposals/{id}", """{"title":"  ","answer":"x","tags":["has space"]}""");
        Assert.That((empty.Status, empty.Type), Is.EqualTo((HttpStatusCode.BadRequest, "application/problem+json")));
        Assert.That(empty.Problem!["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "title", "tags" }));
        var unknown = await SendAsync(HttpMethod.Get, "/api/knowledge/proposals/no-such-proposal");
        Assert.That((unknown.Status, unknown.Type), Is.EqualTo((HttpStatusCode.NotFound, "application/problem+json")));
        var badStatus = await SendAsync(HttpMethod.Get, "/api/knowledge/proposals?status=maybe");
        Assert.That((badStatus.Status, badStatus.Type), Is.EqualTo((HttpStatusCode.BadRequest, "application/problem+json")));
        var notJson = await SendAsync(HttpMethod.Put, $"/api/knowledge/proposals/{id}", "{not json");
        Assert.That(notJson.Status, Is.EqualTo(HttpStatusCode.BadRequest));

        var edited = await SendAsync(HttpMethod.Put, $"/api/knowledge/proposals/{id}",
            """{"title":"Partnerships and volume pricing","answer":"Partnership questions go to business development.","tags":["Partnerships","b2b"]}""");
        Assert.That(edited.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(edited.Problem!["title"]!.GetValue<string>(), Is.EqualTo("Partnerships and volume pricing"));
        Assert.That(edited.Problem!["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "partnerships", "b2b" }));

        var rejected = await SendAsync(HttpMethod.Post, $"/api/knowledge/proposals/{id}/reject");
        Assert.That(rejected.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(rejected.Problem!["proposal"]!["status"]!.GetValue<string>(), Is.EqualTo("rejected"));
        Assert.That(rejected.Problem!["proposal"]!["reviewed_by"]!.GetValue<string>(), Is.Not.Empty);
        var again = await SendAsync(HttpMethod.Post, $"/api/knowledge/proposals/{id}/approve");
        Assert.That((again.Status, again.Type), Is.EqualTo((HttpStatusCode.Conflict, "application/problem+json")), "a rejected proposal is not approved");
        var lateEdit = await SendAsync(HttpMethod.Put, $"/api/knowledge/proposals/{id}", """{"title":"t","answer":"a","tags":[]}""");
        Assert.That(lateEdit.Status, Is.EqualTo(HttpStatusCode.Conflict));
        var publish = await SendAsync(HttpMethod.Post, $"/api/knowledge/proposals/{id}/publish");
        Assert.That(publish.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(_zendesk.ArticlePosts, Is.Empty);
    }
}
