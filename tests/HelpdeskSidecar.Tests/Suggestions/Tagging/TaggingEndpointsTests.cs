using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Suggestions.Tagging;

/// <summary><c>PUT /api/tagging/...</c>: what goes to the audit.</summary>
public class TaggingEndpointsTests
{
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase("tags")]
    [TestCase("intents")]
    public async Task Put_SameModeAndThresholdAgain_WritesNoSecondAuditEntry(string scope)
    {
        using (var first = await _host.Client.PutAsJsonAsync($"/api/tagging/{scope}/refund", new { mode = "auto", threshold = 0.7 }))
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var again = await _host.Client.PutAsJsonAsync($"/api/tagging/{scope}/refund", new { mode = "auto", threshold = 0.7 });

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), await again.Content.ReadAsStringAsync());
        var answer = await again.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(answer!["after"]!["mode"]!.GetValue<string>(), Is.EqualTo("auto"), "answers the change that made the rule what it is");
        var audit = await _host.Client.GetFromJsonAsync<JsonObject>("/api/tagging/audit");
        Assert.That(audit!["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(answer["id"]!.GetValue<long>(), Is.EqualTo(audit["items"]![0]!["id"]!.GetValue<long>()));

        using (var changed = await _host.Client.PutAsJsonAsync($"/api/tagging/{scope}/refund", new { mode = "auto", threshold = 0.8 }))
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        audit = await _host.Client.GetFromJsonAsync<JsonObject>("/api/tagging/audit");
        Assert.That(audit!["items"]!.AsArray(), Has.Count.EqualTo(2), "a real change is still audited");
    }
}
