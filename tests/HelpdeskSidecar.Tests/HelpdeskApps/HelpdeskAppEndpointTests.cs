using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.HelpdeskApps;

/// <summary><c>GET /api/suggestions/latest</c> and <c>POST /api/suggestions/{id}/inserted</c>, the helpdesk apps' API, over loopback HTTP.</summary>
public sealed class HelpdeskAppEndpointTests
{
    [TestCase("/api/suggestions/latest?ticket=1", HttpStatusCode.BadRequest, "'helpdesk' must be one of zendesk, freshdesk.")]
    [TestCase("/api/suggestions/latest?helpdesk=jira&ticket=1", HttpStatusCode.BadRequest, "'helpdesk' must be one of zendesk, freshdesk.")]
    [TestCase("/api/suggestions/latest?helpdesk=zendesk", HttpStatusCode.BadRequest, "'ticket' must be a ticket id (1 to 64 characters).")]
    [TestCase("/api/suggestions/latest?helpdesk=zendesk&ticket=404", HttpStatusCode.NotFound, "There is no suggestion for zendesk ticket '404' yet.")]
    public async Task Latest_BadOrUnknownTicket_IsProblemDetails(string path, HttpStatusCode status, string detail)
    {
        await using var host = await SidecarTestHost.StartAsync();
        using var agent = host.ClientWithToken(await host.CreateTokenAsync(Role.Agent));

        using var response = await agent.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((string?)(await response.Content.ReadFromJsonAsync<JsonNode>())!["detail"], Is.EqualTo(detail));
    }

    [Test]
    public async Task Inserted_CountsEachInsertion_AndRefusesWhatIsNoDraft()
    {
        await using var host = await SidecarTestHost.StartAsync();
        using var agent = host.ClientWithToken(await host.CreateTokenAsync(Role.Agent));
        var draft = await AddAsync(host, "c1", SuggestionKind.Draft, "Refunds take 5 days.");
        var gap = await AddAsync(host, "c2", SuggestionKind.KnowledgeGap, null);

        using var first = await agent.PostAsJsonAsync($"/api/suggestions/{draft}/inserted", new { app = "zendesk" });
        using var second = await agent.PostAsJsonAsync($"/api/suggestions/{draft}/inserted", new { app = "freshdesk" });
        using var badApp = await agent.PostAsJsonAsync($"/api/suggestions/{draft}/inserted", new { app = "jira" });
        using var unknown = await agent.PostAsJsonAsync("/api/suggestions/nope/inserted", new { app = "zendesk" });
        using var noDraft = await agent.PostAsJsonAsync($"/api/suggestions/{gap}/inserted", new { app = "zendesk" });
        using var latest = await agent.GetAsync("/api/suggestions/latest?helpdesk=zendesk&ticket=77");

        Assert.That((first.StatusCode, second.StatusCode, badApp.StatusCode, unknown.StatusCode, noDraft.StatusCode),
            Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Conflict)));
        var answer = (await second.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.That(((string?)answer["suggestion_id"], (string?)answer["app"], (int)answer["insertions"]!), Is.EqualTo((draft, "freshdesk", 2)));
        var shown = (await latest.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.That(((string?)shown["id"], (string?)shown["kind"], (string?)shown["why"]), Is.EqualTo((gap, "KnowledgeGap", "no passage answers it")),
            "the latest suggestion on the ticket is the gap, with the trace's reason");
    }

    private static async Task<string> AddAsync(SidecarTestHost host, string trigger, SuggestionKind kind, string? draft)
    {
        var at = TimeProvider.System.GetUtcNow();
        var id = Guid.CreateVersion7(at).ToString("N");
        await host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = "77", TriggerKey = trigger, CreatedAt = at, Kind = kind, Mode = "Shadow",
            Draft = draft, Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "no passage answers it", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        await Task.Delay(2);
        return id;
    }
}
