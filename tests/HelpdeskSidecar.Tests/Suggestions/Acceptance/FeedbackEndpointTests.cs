using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Suggestions.Acceptance;

/// <summary>
/// <c>POST /api/suggestions/{id}/feedback</c> and the signed <c>/feedback/{token}</c> links over real HTTP, on suggestions
/// stored through the real store.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class FeedbackEndpointTests(string provider)
{
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_host is not null)
            await _host.DisposeAsync();
    }

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

    private async Task<string?> StoredVerdictAsync(string id) =>
        (await _host.Service<SuggestionStore>().GetAsync(id, CancellationToken.None))!.Verdict;

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
        Assert.That((await VerdictAsync(id), await StoredVerdictAsync(id)), Is.EqualTo(("not_applicable", (string?)null)), "shown as not applicable; nothing stored");
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
        Assert.That((await VerdictAsync(id), await StoredVerdictAsync(id)), Is.EqualTo(("not_applicable", (string?)null)), "shown as not applicable; nothing stored");
    }

    private const string ReasonWithPii = "wrong customer, she is ana@example.com, call +44 7700 900123";
    private const string ReasonRedacted = "wrong customer, she is [EMAIL_1], call [PHONE_1]";

    private async Task<string?> StoredReasonAsync(string id)
    {
        await using var connection = await _host.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT verdict_reason FROM suggestions WHERE id = @id", new { id });
    }

    private async Task<string?> ServedReasonAsync(string id)
    {
        var list = await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=t1");
        return list!["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!["verdict_reason"]?.GetValue<string>();
    }

    [Test]
    public async Task PostFeedback_ReasonWithEmailAndPhone_StoredAndServedWithPlaceholders()
    {
        var id = await AddAsync(SuggestionKind.Draft);

        using var response = await _host.Client.PostAsJsonAsync($"/api/suggestions/{id}/feedback", new { verdict = "rejected", reason = ReasonWithPii });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["verdict_reason"]!.GetValue<string>(), Is.EqualTo(ReasonRedacted));
        Assert.That(await StoredReasonAsync(id), Is.EqualTo(ReasonRedacted));
        Assert.That(await ServedReasonAsync(id), Is.EqualTo(ReasonRedacted));
    }

    [Test]
    public async Task FeedbackLink_ReasonWithEmailAndPhone_StoredAndServedWithPlaceholders()
    {
        var id = await AddAsync(SuggestionKind.Draft);
        var token = _host.Service<FeedbackLinks>().Token(id, FeedbackLinks.Reject, TimeProvider.System.GetUtcNow().AddDays(1));

        using var use = await _host.AnonymousClient.PostAsync($"/feedback/{token}", new FormUrlEncodedContent([new("reason", ReasonWithPii)]));

        Assert.That(use.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StoredReasonAsync(id), Is.EqualTo(ReasonRedacted));
        Assert.That(await ServedReasonAsync(id), Is.EqualTo(ReasonRedacted));
    }
    /// <summary>
    /// The same link written another way: padding appended, or encoded whitespace inserted. The decoder tolerates both,
    /// so before the fix each spelling counted as a new, unused link.
    /// </summary>
    private static IEnumerable<string> Respellings(string token)
    {
        var dot = token.IndexOf('.');
        yield return token + "=";
        yield return token + "%3D";
        foreach (var blank in new[] { "%20", "%0A", "%09", "%0D" })
        {
            yield return token[..3] + blank + token[3..];               // in the payload
            yield return token[..(dot + 4)] + blank + token[(dot + 4)..]; // in the signature
            yield return token + blank;
        }
    }

    [Test]
    public async Task FeedbackLink_UsedThenRespelled_EveryRespellingRefused_AndTheVerdictStays()
    {
        var id = await AddAsync(SuggestionKind.Draft);
        var links = _host.Service<FeedbackLinks>();
        var expires = TimeProvider.System.GetUtcNow().AddDays(1);
        var accept = links.Token(id, FeedbackLinks.Accept, expires);
        var reject = links.Token(id, FeedbackLinks.Reject, expires);

        using (var used = await _host.AnonymousClient.PostAsync($"/feedback/{reject}", null))
            Assert.That(used.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StoredVerdictAsync(id), Is.EqualTo(Verdicts.Rejected));

        foreach (var respelled in Respellings(reject).Concat(Respellings(accept)))
        {
            using var show = await _host.AnonymousClient.GetAsync($"/feedback/{respelled}");
            using var use = await _host.AnonymousClient.PostAsync($"/feedback/{respelled}", null);
            Assert.That((show.StatusCode, use.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)), respelled);
        }
        using (var again = await _host.AnonymousClient.PostAsync($"/feedback/{reject}", null))
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await StoredVerdictAsync(id), Is.EqualTo(Verdicts.Rejected), "no respelling changed the verdict");
        await using var connection = await _host.Service<Database>().OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feedback_link_uses"), Is.EqualTo(1));
    }

    [Test]
    public async Task FeedbackLink_RespelledBeforeUse_Refused_AndTheRealLinkStillWorksOnce()
    {
        var id = await AddAsync(SuggestionKind.Draft);
        var accept = _host.Service<FeedbackLinks>().Token(id, FeedbackLinks.Accept, TimeProvider.System.GetUtcNow().AddDays(1));

        foreach (var respelled in Respellings(accept))
        {
            using var use = await _host.AnonymousClient.PostAsync($"/feedback/{respelled}", null);
            Assert.That(use.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), respelled);
        }
        Assert.That(await StoredVerdictAsync(id), Is.Null);
        using (var first = await _host.AnonymousClient.PostAsync($"/feedback/{accept}", null))
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var second = await _host.AnonymousClient.PostAsync($"/feedback/{accept}", null))
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await StoredVerdictAsync(id), Is.EqualTo(Verdicts.SentAsIs));
    }
}
