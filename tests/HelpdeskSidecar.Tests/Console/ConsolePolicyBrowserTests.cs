using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The policy page in a real browser (Debian's Chromium through Playwright) against the real sidecar in Shadow mode on
/// a loopback Zendesk: an ops lead switches one brand to Live and its next ticket gets a note through the Zendesk API
/// while another brand's does not; an invalid policy edit is shown in place and the policy in force does not change.
/// </summary>
[NonParallelizable]
public sealed class ConsolePolicyBrowserTests
{
    private const string Password = "correct horse battery staple";
    private const string Policy = "version: 1\nrules:\n  - name: unhappy-customer\n    match:\n      keywords: [\"furious\"]\n    mode: shadow\n";

    private SidecarScenario? _scenario;
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;
    private Browser _browser = null!;
    private string _policyFile = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .With("Sidecar:Mode=Shadow")
            .WithPolicy(Policy)
            .WithKnowledge(Samples.PathOf("knowledge"))
            .WithUser("oscar", Role.OpsLead, Password)
            .StartAsync();
        (_zendesk, _host, _policyFile) = (_scenario.Zendesk, _scenario.Host, _scenario.PolicyPath);
    }

    [TearDown]
    public async Task StopAsync()
    {
        // SetUp may have stopped early (Chromium missing: the test is skipped), leaving these unset.
        if (_scenario is not null)
        {
            await _scenario.DisposeAsync();
            _scenario = null;
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    [Test]
    public async Task OpsLead_SwitchesABrandToLive_ItsNextTicketGetsANoteThroughZendesk_AnotherBrandsDoesNot()
    {
        var page = await SignInAsync("oscar");
        await page.GotoAsync("/console/policy");
        await Assertions.Expect(page.Locator("#mode-default")).ToHaveTextAsync("Shadow");

        await page.SelectOptionAsync("#override-scope", "brand");
        await page.GetByLabel("Brand id or intent").FillAsync("7001");
        await page.SelectOptionAsync("#override-mode", "live");
        await page.ClickAsync("#override-save");

        await Assertions.Expect(page.Locator("#saved-message")).ToContainTextAsync("mode override is in force");
        await Assertions.Expect(page.Locator("#override-brand-7001")).ToContainTextAsync("override by oscar");
        await Assertions.Expect(page.Locator("#settings-audit")).ToContainTextAsync("oscar");
        await Browser.ScreenshotAsync(page, "policy-brand-live");

        _zendesk.AddTicket(9602, "Refund timing", "I returned the jacket, when will the refund reach my card?").BrandId = 7002;
        await SendAsync("evt-policy-other", 9602);
        var other = await SuggestionAsync(9602, s => s.Count > 0, "the other brand's suggestion");
        _zendesk.AddTicket(9601, "Refund timing", "I returned the jacket, when will the refund reach my card?").BrandId = 7001;
        await SendAsync("evt-policy-live", 9601);
        await SuggestionAsync(9601, s => s.Count > 0 && s[0]!["status"]!.GetValue<string>() == "Written", "the Live brand's note");

        Assert.That(_zendesk.Puts(9601).Single().Body, Does.Contain("[sidecar-suggestion:"), "the note went through the Zendesk API");
        Assert.That(other[0]!["status"]!.GetValue<string>(), Is.EqualTo("Shadow"));
        Assert.That(_zendesk.Puts(9602), Is.Empty, "the brand without an override stays in Shadow");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task OpsLead_InvalidPolicyEdit_ErrorShownInPlace_TextKept_OldPolicyStaysInForce(int width)
    {
        var page = await SignInAsync("oscar", width);
        await page.GotoAsync("/console/policy");
        var editor = page.GetByLabel("Policy file (YAML)");
        await Assertions.Expect(editor).ToHaveValueAsync(Policy);

        const string invalid = "version: 1\nrules:\n  - name: everything\n    escalate: \"Always.\"\n";
        await editor.FillAsync(invalid);
        await page.ClickAsync("#policy-save");

        await Assertions.Expect(page.Locator("#editor-errors")).ToContainTextAsync("line 3");
        await Assertions.Expect(page.Locator("#editor-errors")).ToContainTextAsync("must match on something");
        await Assertions.Expect(page.Locator("#submitted-lines .error-line")).ToHaveAttributeAsync("id", "edit-line-3");
        await Assertions.Expect(page.GetByLabel("Policy file (YAML)")).ToHaveValueAsync(invalid);
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(1), $"the policy page scrolls sideways at {width} px");
        await Browser.ScreenshotAsync(page, $"policy-invalid-edit-{width}");

        Assert.That(await File.ReadAllTextAsync(_policyFile), Is.EqualTo(Policy), "the file is not written");
        Assert.That(_host.Service<PolicyProvider>().Current.Policy.Rules.Single().Name, Is.EqualTo("unhappy-customer"), "the old policy stays in force");
    }

    private string BaseUrl => _host.Client.BaseAddress!.ToString().TrimEnd('/');

    private Task<IPage> SignInAsync(string name, int width = 1280) => _browser.SignInAsync(BaseUrl, name, Password, width);

    private Task<JsonArray> SuggestionAsync(long ticketId, Func<JsonArray, bool> done, string because) =>
        Eventually.GetAsync(
            async () => (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray(),
            done, because: because);

    private async Task SendAsync(string eventId, long ticketId)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(eventId, ticketId)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }
}
