using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// The sample help centre quotes its own sender address (no-reply@parcelly.example). A draft that passes it on is
/// answering the question, not leaking the customer's data: it reaches the agent instead of being withheld.
/// </summary>
public class CompanyAddressDraftTests
{
    [Test]
    public async Task PasswordResetQuestion_DraftQuotesTheHelpCentresSender_NoteHasTheDraftNotWithheld()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().WithKnowledge(Samples.PathOf("knowledge")).StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        zendesk.AddTicket(7301, "Password reset email not arriving",
            "Hi, I asked for a password reset link but the reset email never arrived. Which address does the reset email come from? I checked spam.");

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-reset-1", 7301)))) { }

        var puts = await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(7301)), p => p.Count >= 1, because: "the internal note");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        var list = await host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=7301");
        var item = list!["items"]![0]!;
        Assert.That(item["kind"]!.GetValue<string>(), Is.EqualTo("Draft"), note);
        Assert.That(item["draft"]!.GetValue<string>(), Does.Contain("no-reply@parcelly.example"));
        Assert.That(note, Does.Contain("no-reply@parcelly.example").And.Not.Contain("withheld"));
    }
}
