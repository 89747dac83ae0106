using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Suggestions.Acceptance;

/// <summary>
/// <c>POST /api/suggestions/{id}/feedback</c> and the signed <c>/feedback/{token}</c> links over real HTTP, on suggestions
/// stored through the real store.
/// </summary>
public class FeedbackEndpointTests
{
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private async Task<string> AddAsync(SuggestionKind kind)
    {
        var at = TimeProvider.System.GetUtcNow();
        var id = Guid.CreateVersion7(at).ToString("N");
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = "t1", TriggerKey = "c1", CreatedAt = at, Kind = kind, Mode = "Shadow",
            Draft = kind == SuggestionKind.Draft ? "Refunds take 5 days." : null, Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        return id;
    }

    private async Task<string?> VerdictAsync(string id) =>
        (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{id}"))!["verdict"]?.GetValue<string>();

    [TestCase("KnowledgeGap", "sent_as_is", "knowledge-gap")]
    [TestCase("Withheld", "sent_as_is", "withheld")]
    [TestCase("Escalation", "edited", "escalation")]
    [TestCase("Escalation", "rejected", "escalation")]
    public async Task PostFeedback_SuggestionWithoutDraft_Is409Problem_AndNoVerdictIsStored(string kind, string verdict, string named)
    {
        var id = await AddAsync(Enum.Parse<SuggestionKind>(kind));

        using var response = await _host.Client.PostAsJsonAsync($"/api/suggestions/{id}/feedback", new { verdict });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Does.Contain(named).And.Contain("no draft"));
        Assert.That(await VerdictAsync(id), Is.Null);
    }

    [Test]
    public async Task PostFeedback_Draft_StoresTheVerdict()
    {
        var id = await AddAsync(SuggestionKind.Draft);

        using var response = await _host.Client.PostAsJsonAsync($"/api/suggestions/{id}/feedback", new { verdict = "edited" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await VerdictAsync(id), Is.EqualTo("edited"));
    }

    [TestCase("KnowledgeGap", FeedbackLinks.Accept)]
    [TestCase("KnowledgeGap", FeedbackLinks.Reject)]
    [TestCase("Withheld", FeedbackLinks.Accept)]
    [TestCase("Withheld", FeedbackLinks.Reject)]
    [TestCase("Escalation", FeedbackLinks.Accept)]
    [TestCase("Escalation", FeedbackLinks.Reject)]
    public async Task FeedbackLink_SuggestionWithoutDraft_Is409Problem_AndNoVerdictIsStored(string kind, string action)
    {
        var id = await AddAsync(Enum.Parse<SuggestionKind>(kind));
        var token = _host.Service<FeedbackLinks>().Token(id, action, TimeProvider.System.GetUtcNow().AddDays(1));

        using var show = await _host.AnonymousClient.GetAsync($"/feedback/{token}");
        using var use = await _host.AnonymousClient.PostAsync($"/feedback/{token}", new FormUrlEncodedContent([new("reason", "no")]));

        Assert.That((show.StatusCode, use.StatusCode), Is.EqualTo((HttpStatusCode.Conflict, HttpStatusCode.Conflict)));
        Assert.That(await use.Content.ReadAsStringAsync(), Does.Contain("no draft"));
        Assert.That(await VerdictAsync(id), Is.Null);
    }
}
