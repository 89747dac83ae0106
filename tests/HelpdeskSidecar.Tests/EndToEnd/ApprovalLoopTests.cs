using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// The approval loop from outside, on a loopback Zendesk in Live mode: a note is written, the agent answers (or
/// solves), a signed webhook says "look again", and the suggestion gets its verdict; reports count it; a tag
/// switched to auto is applied through the helpdesk API on the next matching ticket.
/// </summary>
[NonParallelizable] // one test runs the command line, which redirects Console
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ApprovalLoopTests(string provider)
{
    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;

    private string[] _storage = [];

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .With("Sidecar:Feedback:PublicBaseUrl=http://sidecar.test")
            .With(_storage = await StorageProviders.SettingsAsync(provider))
            .WithArticle("refunds.md", """
                # How refunds work

                ## Asking for a refund
                You can ask for a refund within 30 days of delivery from the Orders page. Choose the order, press Request refund and pick a reason.

                ## When the money arrives
                Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.
                """)
            .WithArticle("passwords.md", """
                # Reset your password

                ## Forgotten password
                Use the Forgot password link on the sign-in page. The reset email expires after one hour, so ask for a new one if the link has expired.
                """)
            .WithHistory(IntentClassifierTests.History())
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
    public async Task AgentSendsTheDraft_SentAsIs_UnrelatedReplyOnAnotherTicket_Rejected_ReportCountsBoth()
    {
        _zendesk.Brands[360002256672] = "Acme Outdoor"; // the recorded ticket's brand_id
        var refund = _zendesk.AddTicket(8101, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var password = _zendesk.AddTicket(8102, "Password reset", "My password reset email link expired, how do I reset my password?");
        var first = await NoteWrittenAsync(8101, "evt-acc-1");
        var second = await NoteWrittenAsync(8102, "evt-acc-2");

        refund.AddComment(FakeZendesk.AgentId, first["draft"]!.GetValue<string>(), isPublic: true);
        password.AddComment(FakeZendesk.AgentId, "We have passed your message to the billing team, who will call you about the invoice on Tuesday.", isPublic: true);
        await SendAsync(SidecarTestHost.TicketEvent("evt-acc-3", 8101, "ticket.comment_added"));
        await SendAsync(SidecarTestHost.TicketEvent("evt-acc-4", 8102, "ticket.comment_added"));

        var sent = await VerdictAsync(8101);
        var rejected = await VerdictAsync(8102);
        Assert.That(sent["verdict"]!.GetValue<string>(), Is.EqualTo("sent_as_is"));
        Assert.That(sent["similarity"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(0.9));
        Assert.That(sent["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(rejected["verdict"]!.GetValue<string>(), Is.EqualTo("rejected"));
        Assert.That(rejected["similarity"]!.GetValue<double>(), Is.LessThan(0.3));

        var report = await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/acceptance?by=intent&format=json");
        var groups = report!["groups"]!.AsArray().ToDictionary(g => g!["key"]!.GetValue<string>());
        Assert.That(groups["refund_status"]!["sent_as_is"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(groups["refund_status"]!["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(groups["login_problem"]!["rejected"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(groups["login_problem"]!["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(0.0));
        Assert.That(report["total"]!["suggestions"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(report["total"]!["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(0.5));

        using var csv = await _host.Client.GetAsync("/api/reports/acceptance?by=intent&format=csv");
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("key,suggestions,sent_as_is,edited,rejected,no_reply"));
        Assert.That(lines, Has.Some.StartWith("login_problem,1,0,0,1,0,0,0,"));
        Assert.That(lines, Has.Some.StartWith("refund_status,1,1,0,0,0,0,1,"));
        Assert.That(lines[^1], Does.StartWith("(total),2,1,0,1,0,0,0.5,"));

        // The same numbers from the command line, reading the running host's store.
        var cli = await CliRunner.RunAsync(["report", "acceptance", "--by", "intent", "--format", "json", $"--Sidecar:DataDir={_host.DataDir}", .. _storage.Select(s => "--" + s)]);
        Assert.That(cli.Code, Is.EqualTo(0), cli.Error);
        var fromCli = JsonNode.Parse(cli.Out)!;
        var cliGroups = fromCli["groups"]!.AsArray().ToDictionary(g => g!["key"]!.GetValue<string>());
        Assert.That(cliGroups["refund_status"]!["sent_as_is"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(cliGroups["refund_status"]!["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(cliGroups["login_problem"]!["rejected"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(cliGroups["login_problem"]!["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(0.0));
        Assert.That(fromCli["total"]!["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(0.5));

        // Agents and brands by name (Zendesk's users sideload and Show Brand), not by id, in the API and the CLI.
        var byAgent = await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/acceptance?by=agent&format=json");
        Assert.That(byAgent!["groups"]!.AsArray().Select(g => g!["key"]!.GetValue<string>()), Is.EqualTo(new[] { "Alex Agent" }));
        var byBrand = await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/acceptance?by=brand&format=json");
        Assert.That(byBrand!["groups"]!.AsArray().Select(g => g!["key"]!.GetValue<string>()), Is.EqualTo(new[] { "Acme Outdoor" }));
        var cliByAgent = await CliRunner.RunAsync(["report", "acceptance", "--by", "agent", "--format", "csv", $"--Sidecar:DataDir={_host.DataDir}", .. _storage.Select(s => "--" + s)]);
        Assert.That(cliByAgent.Out, Does.Contain("\r\nAlex Agent,2,").And.Not.Contain(FakeZendesk.AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _ = second;
    }

    [Test]
    public async Task OurOwnNoteComesBackAsCommentAdded_NoVerdict_ThenSolvedWithoutReply_NoReply()
    {
        var ticket = _zendesk.AddTicket(8201, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var suggestion = await NoteWrittenAsync(8201, "evt-own-1");
        Assert.That(ticket.Comments.Count(c => !c.Public), Is.EqualTo(1), "the note is on the ticket, private");

        // Zendesk tells us about our own note: a run that finds no agent reply leaves the suggestion open.
        var loads = _zendesk.Requests.Count(r => r.Method == "GET" && r.PathAndQuery == "/api/v2/tickets/8201");
        await SendAsync(SidecarTestHost.TicketEvent("evt-own-2", 8201, "ticket.comment_added"));
        await RunFinishedAsync(8201, loads);
        var open = await ItemsAsync(8201);
        Assert.That(open.Single()!["verdict"], Is.Null);

        ticket.Status = "solved";
        await SendAsync(SidecarTestHost.TicketEvent("evt-own-3", 8201, "ticket.status_changed"));
        var settled = await VerdictAsync(8201);
        Assert.That(settled["verdict"]!.GetValue<string>(), Is.EqualTo("no_reply"));
        Assert.That(settled["id"]!.GetValue<string>(), Is.EqualTo(suggestion["id"]!.GetValue<string>()));
    }

    [Test]
    public async Task SecondCustomerMessageBeforeAnyReply_ListsOldestFirst_FirstSupersededAtOnce_SecondJudged()
    {
        var ticket = _zendesk.AddTicket(8301, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var first = await NoteWrittenAsync(8301, "evt-two-1");
        ticket.AddComment(FakeZendesk.CustomerId, "Also, my password reset email link expired, how do I reset my password?", isPublic: true);
        await SendAsync(SidecarTestHost.TicketEvent("evt-two-2", 8301, "ticket.comment_added"));
        // The newer suggestion is stored, then the older one settled (two statements, a round trip apart on PostgreSQL).
        var both = await Eventually.GetAsync(() => ItemsAsync(8301), i => i.Count == 2 && i[0]!["verdict"] is not null, because: "a second suggestion, the first settled");
        Assert.That(both[0]!["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()), "oldest first");
        // QA #11: settled when the newer suggestion is made, not at the next event.
        Assert.That((both[0]!["verdict"]!.GetValue<string>(), both[0]!["verdict_source"]!.GetValue<string>()), Is.EqualTo(("superseded", "pipeline")));
        Assert.That(both[1]!["verdict"], Is.Null, "the newer draft is pending");

        await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(8301)), p => p.Count >= 2, because: "the second note");
        var secondDraft = both[1]!["draft"]!.GetValue<string>();
        // The agent edits the second draft: keeps its first half, writes the rest anew.
        var lines = secondDraft.Split('\n');
        ticket.AddComment(FakeZendesk.AgentId, string.Join('\n', lines.Take(lines.Length / 2 + 1)) + "\nI have also sent you a fresh link myself just now.", isPublic: true);
        await SendAsync(SidecarTestHost.TicketEvent("evt-two-3", 8301, "ticket.comment_added"));

        var judged = await Eventually.GetAsync(() => ItemsAsync(8301), i => i.All(x => x!["verdict"] is not null), because: "both verdicts");
        Assert.That(judged[0]!["verdict"]!.GetValue<string>(), Is.EqualTo("superseded"), "the reply answers the newer draft, not this one");
        Assert.That(judged[1]!["verdict"]!.GetValue<string>(), Is.AnyOf("edited", "sent_as_is"));
        Assert.That(judged[1]!["similarity"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(0.3));
    }

    [Test]
    public async Task Feedback_OverridesTheVerdict_BadInputIsAProblem()
    {
        _zendesk.AddTicket(8401, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var suggestion = await NoteWrittenAsync(8401, "evt-fb-1");
        var id = suggestion["id"]!.GetValue<string>();

        using var ok = await _host.Client.PostAsJsonAsync($"/api/suggestions/{id}/feedback", new { verdict = "rejected", reason = "wrong policy" });
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var item = (await ItemsAsync(8401)).Single()!;
        Assert.That(item["verdict"]!.GetValue<string>(), Is.EqualTo("rejected"));
        Assert.That(item["verdict_source"]!.GetValue<string>(), Is.EqualTo("feedback"));
        Assert.That(item["verdict_reason"]!.GetValue<string>(), Is.EqualTo("wrong policy"));

        using var bad = await _host.Client.PostAsJsonAsync($"/api/suggestions/{id}/feedback", new { verdict = "loved_it" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("verdict"));

        using var missing = await _host.Client.PostAsJsonAsync("/api/suggestions/nope/feedback", new { verdict = "edited" });
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task TagSwitchedToAuto_NextMatchingTicketGetsTheTagThroughZendesk_AndTheChangeIsAudited()
    {
        // Before: the default (suggest) only lists the tag in the note.
        _zendesk.AddTicket(8501, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var before = await NoteWrittenAsync(8501, "evt-tag-1");
        var firstNote = JsonNode.Parse(_zendesk.Puts(8501)[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        Assert.That(firstNote, Does.Contain("Suggested tags:").And.Contain("refund"));
        Assert.That(_zendesk.TagPuts(8501), Is.Empty);
        _ = before;

        using var put = await _host.Client.PutAsJsonAsync("/api/tagging/tags/refund", new { mode = "auto", threshold = 0.2 });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var ticket = _zendesk.AddTicket(8502, "Refund timing", "The refund for my returned shoes has not reached my card yet, when will it arrive?");
        await NoteWrittenAsync(8502, "evt-tag-2");
        var tagPut = await Eventually.GetAsync(() => Task.FromResult(_zendesk.TagPuts(8502)), p => p.Count >= 1, because: "the tag update");
        var sentTags = JsonNode.Parse(tagPut[0].Body!)!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.That(sentTags, Does.Contain("refund"));
        Assert.That(ticket.Tags, Does.Contain("refund"));
        if (Contracts.ZendeskOpenApi.FindSpecPath() is { } spec)
        {
            // Where the recorded Support API contract is beside the repository, the tag request must be its "Add Tags"
            // operation. The OAS gives that body ({"tags": [...]}) only as an example in prose, not as a schema.
            var errors = Contracts.ZendeskOpenApi.Load(spec).ValidateRequest("PUT", tagPut[0].PathAndQuery, tagPut[0].Body, rejectReadOnly: true);
            Assert.That(errors.Where(e => !e.Contains("declares no application/json request body", StringComparison.Ordinal)), Is.Empty);
        }

        var audit = await _host.Client.GetFromJsonAsync<JsonObject>("/api/tagging/audit");
        var entry = audit!["items"]!.AsArray().Single()!;
        Assert.That(entry["who"]!.GetValue<string>(), Is.EqualTo("test-admin"), "the audit names the token that made the change");
        Assert.That(entry["scope"]!.GetValue<string>(), Is.EqualTo("tag"));
        Assert.That(entry["name"]!.GetValue<string>(), Is.EqualTo("refund"));
        Assert.That(entry["before"], Is.Null);
        Assert.That(entry["after"]!["mode"]!.GetValue<string>(), Is.EqualTo("auto"));
        Assert.That(entry["after"]!["threshold"]!.GetValue<double>(), Is.EqualTo(0.2));

        var rules = await _host.Client.GetFromJsonAsync<JsonObject>("/api/tagging");
        Assert.That(rules!["tags"]!.AsArray().Single()!["mode"]!.GetValue<string>(), Is.EqualTo("auto"));
    }

    [Test]
    public async Task RejectLinkInTheNote_RecordsOnceWithReason_TamperedLinkRefused()
    {
        _zendesk.AddTicket(8601, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var suggestion = await NoteWrittenAsync(8601, "evt-link-1");
        var note = JsonNode.Parse(_zendesk.Puts(8601)[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        var reject = note.Split('\n').Single(l => l.StartsWith("No, I did not: ", StringComparison.Ordinal))["No, I did not: ".Length..].Trim();
        Assert.That(reject, Does.StartWith("http://sidecar.test/feedback/"));
        var path = new Uri(reject).AbsolutePath;

        using (var page = await _host.Client.GetAsync(path))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("<form method=\"post\""));
        }
        Assert.That((await ItemsAsync(8601)).Single()!["verdict"], Is.Null, "showing the page records nothing");

        using (var form = new FormUrlEncodedContent([new("reason", "cites the wrong policy")]))
        using (var used = await _host.Client.PostAsync(path, form))
            Assert.That(used.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var item = (await ItemsAsync(8601)).Single()!;
        Assert.That(item["id"]!.GetValue<string>(), Is.EqualTo(suggestion["id"]!.GetValue<string>()));
        Assert.That(item["verdict"]!.GetValue<string>(), Is.EqualTo("rejected"));
        Assert.That(item["verdict_reason"]!.GetValue<string>(), Is.EqualTo("cites the wrong policy"));

        using (var again = await _host.Client.PostAsync(path, null))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(again.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"), "a page the agent can read, not JSON");
            Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("This link was already used"));
        }
        var token = path["/feedback/".Length..];
        var tampered = "/feedback/" + token.Split('.')[0] + "." + new string('A', token.Split('.')[1].Length);
        using (var forged = await _host.Client.PostAsync(tampered, null))
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("""{"mode":"sometimes","threshold":0.5}""", "mode")]
    [TestCase("""{"mode":"auto","threshold":1.5}""", "threshold")]
    [TestCase("""{"mode":"auto"}""", "threshold")]
    public async Task TagRule_BadBody_Is400ProblemNamingTheField_AndNothingIsAudited(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _host.Client.PutAsync("/api/tagging/intents/refund_status", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(field));
        var audit = await _host.Client.GetFromJsonAsync<JsonObject>("/api/tagging/audit");
        Assert.That(audit!["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task AutoTagKeptOnOneSolvedTicket_RemovedOnAnother_PrecisionIsHalf()
    {
        using (var put = await _host.Client.PutAsJsonAsync("/api/tagging/tags/refund", new { mode = "auto", threshold = 0.2 }))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var kept = _zendesk.AddTicket(8701, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var removed = _zendesk.AddTicket(8702, "Refund timing", "The refund for my returned shoes has not reached my card yet, when will it arrive?");
        await NoteWrittenAsync(8701, "evt-prec-1");
        await NoteWrittenAsync(8702, "evt-prec-2");
        await Eventually.GetAsync(() => Task.FromResult(kept.Tags.Contains("refund") && removed.Tags.Contains("refund")), t => t, because: "both tags applied");

        removed.RemoveTag("refund");
        kept.Status = "solved";
        removed.Status = "solved";
        await SendAsync(SidecarTestHost.TicketEvent("evt-prec-3", 8701, "ticket.status_changed"));
        await SendAsync(SidecarTestHost.TicketEvent("evt-prec-4", 8702, "ticket.status_changed"));

        var report = await Eventually.GetAsync(() => _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/tags"),
            r => r!["tags"]!.AsArray().Any(t => t!["tag"]!.GetValue<string>() == "refund" && t["applied"]!.GetValue<int>() == 2), because: "both tickets settled");
        var refund = report!["tags"]!.AsArray().Single(t => t!["tag"]!.GetValue<string>() == "refund")!;
        Assert.That(refund["kept"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(refund["dropped"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(refund["precision"]!.GetValue<double>(), Is.EqualTo(0.5));
    }

    [TestCase("not json")]
    [TestCase("")]
    public async Task TagRule_MalformedBody_Is400Problem(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _host.Client.PutAsync("/api/tagging/tags/refund", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    private async Task SendAsync(string body)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    /// <summary>Sends ticket.created and waits until the note is written; returns the suggestion's list item.</summary>
    private async Task<JsonObject> NoteWrittenAsync(long ticketId, string eventId)
    {
        var notes = _zendesk.Puts(ticketId).Count;
        await SendAsync(SidecarTestHost.TicketEvent(eventId, ticketId));
        await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(ticketId)), p => p.Count > notes, because: $"the note on {ticketId}");
        var items = await Eventually.GetAsync(() => ItemsAsync(ticketId), i => i.Count > 0 && i[^1]!["status"]!.GetValue<string>() == "Written",
            because: "the suggestion to be written");
        return items[^1]!.AsObject();
    }

    private async Task<JsonArray> ItemsAsync(long ticketId) =>
        (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray();

    private async Task<JsonObject> VerdictAsync(long ticketId)
    {
        var items = await Eventually.GetAsync(() => ItemsAsync(ticketId), i => i.Count == 1 && i[0]!["verdict"] is not null, because: $"a verdict on {ticketId}");
        return items[0]!.AsObject();
    }

    /// <summary>Waits until a run after <paramref name="loadsBefore"/> loaded the ticket and nothing is left scheduled for it.</summary>
    private async Task RunFinishedAsync(long ticketId, int loadsBefore)
    {
        await Eventually.GetAsync(() => Task.FromResult(_zendesk.Requests.Count(r => r.Method == "GET" && r.PathAndQuery == $"/api/v2/tickets/{ticketId}")),
            n => n > loadsBefore, because: "the run to load the ticket");
        await HangfireJobs.QuietAsync(_host, "the run to complete");
    }
}
