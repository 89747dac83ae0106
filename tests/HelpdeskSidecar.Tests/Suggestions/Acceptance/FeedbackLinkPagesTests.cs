using System.Net;
using AngleSharp.Html.Dom;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Suggestions.Acceptance;

/// <summary>
/// The pages behind the feedback links in the note: in the console's style, showing the draft, each outcome in plain
/// words with the status code that says it to a machine. (The links' security is FeedbackEndpointTests'.)
/// </summary>
public class FeedbackLinkPagesTests
{
    private const string Draft = "Refunds reach your card within 5 business days.";
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private async Task<string> AddAsync(string id)
    {
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = "77", TriggerKey = id, CreatedAt = TimeProvider.System.GetUtcNow(), Kind = SuggestionKind.Draft,
            Mode = "Shadow", Draft = Draft, Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        return id;
    }

    private string Token(string id, string action, TimeSpan? lifetime = null) =>
        _host.Service<FeedbackLinks>().Token(id, action, TimeProvider.System.GetUtcNow() + (lifetime ?? TimeSpan.FromDays(1)));

    private async Task<(HttpStatusCode Status, IHtmlDocument Page, string? MediaType)> SendAsync(HttpMethod method, string token)
    {
        using var request = new HttpRequestMessage(method, $"/feedback/{token}");
        if (method == HttpMethod.Post)
            request.Content = new FormUrlEncodedContent([new("reason", "")]);
        using var response = await _host.AnonymousClient.SendAsync(request);
        return (response.StatusCode, await ConsoleSession.ParseAsync(response), response.Content.Headers.ContentType?.MediaType);
    }

    private static string Outcome(IHtmlDocument page) => page.GetElementById("feedback-outcome")?.TextContent.Trim() ?? throw new AssertionException("no #feedback-outcome");

    private async Task<string?> VerdictAsync(string id) => (await _host.Service<SuggestionStore>().GetAsync(id, CancellationToken.None))!.Verdict;

    [Test]
    public async Task Show_ConsoleStyledPageWithTheDraftAndOneButton_RecordsNothing()
    {
        var token = Token(await AddAsync("f1"), FeedbackLinks.Accept);

        var (status, page, type) = await SendAsync(HttpMethod.Get, token);

        Assert.That((status, type), Is.EqualTo((HttpStatusCode.OK, (string?)"text/html")));
        Assert.That(page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href"), Is.EqualTo("/console/assets/console.css"));
        Assert.That(page.GetElementById("draft")!.TextContent, Is.EqualTo(Draft));
        Assert.That(page.GetElementById("feedback-submit")!.TextContent, Is.EqualTo("Yes, I used this draft"));
        Assert.That(page.QuerySelector("label[for=feedback-reason]"), Is.Not.Null);
        Assert.That(page.GetElementById("nav"), Is.Null, "no console navigation: the link works without a sign-in");
        Assert.That(await VerdictAsync("f1"), Is.Null);
    }

    [Test]
    public async Task Use_Accept_SaysThanksInPlainWords_ThenTheSameLinkSaysItWasAlreadyUsed()
    {
        var token = Token(await AddAsync("f2"), FeedbackLinks.Accept);

        var first = await SendAsync(HttpMethod.Post, token);
        var again = await SendAsync(HttpMethod.Post, token);
        var show = await SendAsync(HttpMethod.Get, token);

        Assert.That((first.Status, Outcome(first.Page)), Is.EqualTo((HttpStatusCode.OK, "Thanks — recorded that you used this draft as is.")));
        Assert.That((again.Status, again.MediaType), Is.EqualTo((HttpStatusCode.Conflict, (string?)"text/html")));
        Assert.That(Outcome(again.Page), Does.StartWith("This link was already used"));
        Assert.That((show.Status, Outcome(show.Page)), Is.EqualTo((again.Status, Outcome(again.Page))));
        Assert.That(await VerdictAsync("f2"), Is.EqualTo(Verdicts.SentAsIs));
    }

    [Test]
    public async Task Use_RejectAndAcceptAfterAnEditedReply_EachSaysWhatWasRecorded()
    {
        var reject = Token(await AddAsync("f3"), FeedbackLinks.Reject);
        var accept = Token(await AddAsync("f4"), FeedbackLinks.Accept);
        await _host.Service<IVerdictWriter>().RecordIfOpenAsync("f4", new VerdictRecord(Verdicts.Edited, 0.6, Verdicts.FromReply), CancellationToken.None);

        var rejected = await SendAsync(HttpMethod.Post, reject);
        var edited = await SendAsync(HttpMethod.Post, accept);

        Assert.That(Outcome(rejected.Page), Is.EqualTo("Thanks — recorded that you did not use this draft."));
        Assert.That(Outcome(edited.Page), Is.EqualTo("Thanks — recorded that you used this draft with edits."));
        Assert.That((await VerdictAsync("f3"), await VerdictAsync("f4")), Is.EqualTo(((string?)Verdicts.Rejected, (string?)Verdicts.Edited)));
    }

    [Test]
    public async Task Expired_Forged_Malformed_EachAPageSayingWhy_WithItsStatus_NothingRecorded()
    {
        var id = await AddAsync("f5");
        var expired = Token(id, FeedbackLinks.Accept, TimeSpan.FromSeconds(-1));
        var good = Token(id, FeedbackLinks.Accept);
        var forged = good.Split('.')[0] + "." + new string('A', good.Split('.')[1].Length);

        var e = await SendAsync(HttpMethod.Post, expired);
        var f = await SendAsync(HttpMethod.Post, forged);
        var m = await SendAsync(HttpMethod.Get, "not-a-token");

        Assert.That((e.Status, f.Status, m.Status), Is.EqualTo((HttpStatusCode.Gone, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest)));
        Assert.That(Outcome(e.Page), Does.StartWith("This link has expired"));
        Assert.That(Outcome(f.Page), Does.StartWith("This link is not valid"));
        Assert.That(Outcome(m.Page), Does.StartWith("This is not a feedback link"));
        Assert.That(new[] { e.MediaType, f.MediaType, m.MediaType }, Is.All.EqualTo("text/html"));
        Assert.That(await VerdictAsync(id), Is.Null);
    }
}
