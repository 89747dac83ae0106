using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Settings;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>The policy page's forms over real HTTP: mode overrides per brand and intent, and the policy editor.</summary>
public class ConsolePolicyEditingTests
{
    private const string ValidPolicy = "version: 1\nrules:\n  - name: acme-live\n    match:\n      brand: [\"acme\"]\n    mode: live\n";

    private SidecarScenario _scenario = null!;
    private SidecarTestHost _host = null!;
    private string _policyFile = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithPolicy(ValidPolicy)
            .WithUser("manager", Role.Manager, "manager-password")
            .WithUser("ops", Role.OpsLead, "ops-password")
            .StartAsync();
        (_host, _policyFile) = (_scenario.Host, _scenario.PolicyPath);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task OpsLead_SetsABrandToLive_ThenBackToInherit_BothAudited()
    {
        using var session = await SignInAsync("ops");

        using (var saved = await session.SubmitAsync("/console/policy", "#new-override",
            new Dictionary<string, string> { ["scope"] = "brand", ["key"] = "7001", ["mode"] = "live" }))
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (_, page) = await session.GetPageAsync("/console/policy");
        Assert.That(page.QuerySelector<IHtmlSelectElement>("#override-mode-brand-7001")!.Value, Is.EqualTo("live"));

        using (var back = await session.SubmitAsync("/console/policy", "#override-form-brand-7001", new Dictionary<string, string> { ["mode"] = "inherit" }))
            Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        (_, page) = await session.GetPageAsync("/console/policy");
        Assert.That(page.GetElementById("override-brand-7001"), Is.Null, "inherit removes the override");
        Assert.That(await _host.Service<ModeOverrideStore>().ListAsync(CancellationToken.None), Is.Empty);
        Assert.That(page.QuerySelectorAll("#settings-audit tbody tr .audit-who").Select(c => c.TextContent), Is.EqualTo(new[] { "ops", "ops" }));
        Assert.That(page.QuerySelectorAll("#settings-audit tbody tr")[0].TextContent, Does.Contain("brand 7001").And.Contain("live").And.Contain("inherit"));
    }

    [Test]
    public async Task Manager_ReadsOverrides_WithoutForms_AndCannotPost()
    {
        await _host.Service<ModeOverrideStore>().SetAsync(ModeScopes.Intent, "refund_status", "shadow", "ops", CancellationToken.None);
        using var session = await SignInAsync("manager");

        var (_, page) = await session.GetPageAsync("/console/policy");

        Assert.That(page.GetElementById("override-mode-intent-refund_status")!.TextContent, Is.EqualTo("shadow"));
        Assert.That(page.QuerySelectorAll("form[action='/console/policy/modes'], form[action='/console/policy/file']"), Is.Empty);
        Assert.That(page.GetElementById("read-only-note"), Is.Not.Null);
        var (_, overview) = await session.GetPageAsync("/console");
        Assert.That(overview.GetElementById("mode-overrides")!.TextContent, Does.Contain("intent refund_status: shadow"));
        // The manager's page has no form to take an antiforgery token from: a forged POST is refused before anything else.
        using var post = await session.Client.PostAsync("/console/policy/modes",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["scope"] = "brand", ["key"] = "x", ["mode"] = "live" }));
        Assert.That(post.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK).And.Not.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That((await _host.Service<ModeOverrideStore>().ListAsync(CancellationToken.None)).Select(o => o.Key), Is.EqualTo(new[] { "refund_status" }));
    }

    [Test]
    public async Task ConsoleCookie_ReadsApiSettings_ButCannotWriteThem()
    {
        using var session = await SignInAsync("ops");

        using var read = await session.Client.GetAsync("/api/settings");
        using var write = await session.Client.PutAsync("/api/settings/modes/brands/7001",
            new StringContent("""{"mode":"live"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "writes to /api need a token: no cross-site writes with the cookie");
        Assert.That(await _host.Service<ModeOverrideStore>().ListAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task OpsLead_BadOverride_IsRefusedWithAReason()
    {
        using var session = await SignInAsync("ops");

        using var saved = await session.SubmitAsync("/console/policy", "#new-override",
            new Dictionary<string, string> { ["scope"] = "brand", ["key"] = "two words", ["mode"] = "sometimes" });

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await ConsoleSession.ParseAsync(saved);
        Assert.That(page.GetElementById("error-message")!.TextContent, Does.Contain("without spaces").And.Contain("shadow, live, inherit"));
        Assert.That(await _host.Service<ModeOverrideStore>().ListAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Editor_ShowsTheFileInALabelledTextarea()
    {
        using var session = await SignInAsync("ops");

        var (_, page) = await session.GetPageAsync("/console/policy");

        var editor = page.QuerySelector<IHtmlTextAreaElement>("#policy-text")!;
        Assert.That(editor.Value, Is.EqualTo(ValidPolicy));
        Assert.That(page.QuerySelector("label[for=policy-text]")!.TextContent, Does.Contain("Policy file (YAML)").And.Contain(_policyFile));
    }

    [Test]
    public async Task Editor_InvalidPolicy_ErrorsNextToTheSubmittedLines_TextKept_FileUntouched()
    {
        const string invalid = "version: 1\nrules:\n  - name: everything\n    escalate: \"Always.\"\n";
        using var session = await SignInAsync("ops");

        using var saved = await session.SubmitAsync("/console/policy", "#policy-editor", new Dictionary<string, string> { ["text"] = invalid.Replace("\n", "\r\n") });

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await ConsoleSession.ParseAsync(saved);
        Assert.That(page.GetElementById("editor-errors")!.TextContent, Does.Contain("line 3").And.Contain("must match on something"));
        Assert.That(page.QuerySelectorAll("#submitted-lines .error-line").Select(l => l.Id), Is.EqualTo(new[] { "edit-line-3" }));
        Assert.That(page.QuerySelector<IHtmlTextAreaElement>("#policy-text")!.Value, Is.EqualTo(invalid), "the submitted text stays in the editor");
        Assert.That(await File.ReadAllTextAsync(_policyFile), Is.EqualTo(ValidPolicy));
        Assert.That(_host.Service<PolicyProvider>().Current.Policy.Rules.Single().Name, Is.EqualTo("acme-live"));
        Assert.That(await _host.Service<SettingsAudit>().ListAsync(10, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Editor_UnclosedBracketBeforeMoreLines_ErrorUnderTheBracketsLine_TextKept_FileUntouched()
    {
        const string invalid = "version: 1\nrules:\n  - name: legal\n    match:\n      keywords: [\"sue\", \"lawyer\"\n    escalate: \"Legal threat.\"\n";
        using var session = await SignInAsync("ops");

        using var saved = await session.SubmitAsync("/console/policy", "#policy-editor", new Dictionary<string, string> { ["text"] = invalid.Replace("\n", "\r\n") });

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await ConsoleSession.ParseAsync(saved);
        Assert.That(page.GetElementById("editor-errors")!.TextContent, Does.Contain("line 5, column 17").And.Contain("never closed"));
        Assert.That(page.QuerySelectorAll("#submitted-lines .error-line").Select(l => l.Id), Is.EqualTo(new[] { "edit-line-5" }));
        Assert.That(page.QuerySelector<IHtmlTextAreaElement>("#policy-text")!.Value, Is.EqualTo(invalid), "the submitted text stays in the editor");
        Assert.That(await File.ReadAllTextAsync(_policyFile), Is.EqualTo(ValidPolicy));
    }

    [Test, CancelAfter(60_000)]
    public async Task Editor_AliasBomb_RefusedQuicklyWithTheLine_TextKept_FileUntouched()
    {
        var bomb = YamlBomb.Policy(levels: 9);
        using var session = await SignInAsync("ops");

        var submit = session.SubmitAsync("/console/policy", "#policy-editor", new Dictionary<string, string> { ["text"] = bomb });
        Assert.That(await Task.WhenAny(submit, Task.Delay(YamlBomb.Budget)), Is.SameAs(submit), $"answered within {YamlBomb.Budget.TotalSeconds} s");
        using var saved = await submit;

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await ConsoleSession.ParseAsync(saved);
        Assert.That(page.GetElementById("editor-errors")!.TextContent, Does.Contain("line 2").And.Contain("Anchors and aliases (&name / *name"));
        Assert.That(page.QuerySelector<IHtmlTextAreaElement>("#policy-text")!.Value, Is.EqualTo(bomb));
        Assert.That(await File.ReadAllTextAsync(_policyFile), Is.EqualTo(ValidPolicy));
    }

    [Test]
    public async Task Editor_RuleWithAnIntentTheClassifierDoesNotKnow_Saved_PageWarnsUnderItsLine()
    {
        const string updated = "version: 1\nrules:\n  - name: refunds\n    match:\n      intent: [refund_status, refunds]\n    mode: live\n";
        await _host.Service<HistoryStore>().ImportAsync("test", IntentClassifierTests.History(), CancellationToken.None);
        await _host.Service<ClassifierHost>().RetrainAsync(CancellationToken.None);
        using var session = await SignInAsync("ops");

        using var saved = await session.SubmitAsync("/console/policy", "#policy-editor", new Dictionary<string, string> { ["text"] = updated });

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a warning does not stop the save");
        Assert.That(await File.ReadAllTextAsync(_policyFile), Is.EqualTo(updated));
        var (_, page) = await session.GetPageAsync(saved.Headers.Location!.ToString());
        Assert.That(page.GetElementById("policy-warnings")!.TextContent, Does.Contain("line 5, column 31").And.Contain("intent 'refunds', which the classifier does not know"));
        Assert.That(page.QuerySelectorAll("#policy-file .warning-line").Select(l => l.Id), Is.EqualTo(new[] { "line-5" }));
    }

    [Test]
    public async Task Editor_ValidPolicy_WrittenAndInForceAtOnce_AuditedWithHashes()
    {
        const string updated = "version: 1\nrules:\n  - name: acme-shadow\n    match:\n      brand: [\"acme\"]\n    mode: shadow\n";
        using var session = await SignInAsync("ops");

        using var saved = await session.SubmitAsync("/console/policy", "#policy-editor", new Dictionary<string, string> { ["text"] = updated.Replace("\n", "\r\n") });

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await File.ReadAllTextAsync(_policyFile), Is.EqualTo(updated), "saved with the file's LF line ends");
        Assert.That(_host.Service<PolicyProvider>().Current.Policy.Rules.Single().Name, Is.EqualTo("acme-shadow"));
        var audit = (await _host.Service<SettingsAudit>().ListAsync(10, CancellationToken.None)).Single();
        Assert.That((audit.Who, audit.Scope, audit.Key), Is.EqualTo(("ops", ModeScopes.PolicyFile, _policyFile)));
        Assert.That((audit.Before, audit.After), Is.EqualTo((PolicyFileEditor.Sha256(ValidPolicy), PolicyFileEditor.Sha256(updated))));
        var (_, page) = await session.GetPageAsync(saved.Headers.Location!.ToString());
        Assert.That(page.GetElementById("saved-message")!.TextContent, Does.Contain("policy file is in force"));
        Assert.That(page.GetElementById("policy-source")!.TextContent, Does.Contain("1 rule"));
        Assert.That(page.GetElementById("settings-audit")!.TextContent, Does.Contain("policy file policy.yaml"));
    }

    [Test]
    public async Task Editor_FileChangedSinceOpened_NotOverwritten_TextKept()
    {
        using var session = await SignInAsync("ops");
        var (_, opened) = await session.GetPageAsync("/console/policy");
        var baseSha = opened.QuerySelector<IHtmlInputElement>("#policy-editor input[name=base_sha256]")!.Value;
        const string someoneElses = "version: 1\nrules: []\n";
        await File.WriteAllTextAsync(_policyFile, someoneElses);
        var fields = opened.QuerySelectorAll<IHtmlInputElement>("#policy-editor input[type=hidden]").ToDictionary(i => i.Name!, i => i.Value);
        fields["text"] = ValidPolicy + "# mine\n";
        fields["base_sha256"] = baseSha;

        using var saved = await session.Client.PostAsync("/console/policy/file", new FormUrlEncodedContent(fields));

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await ConsoleSession.ParseAsync(saved);
        Assert.That(page.GetElementById("editor-errors")!.TextContent, Does.Contain("Someone saved the file"));
        Assert.That(page.QuerySelector<IHtmlTextAreaElement>("#policy-text")!.Value, Is.EqualTo(ValidPolicy + "# mine\n"));
        Assert.That(await File.ReadAllTextAsync(_policyFile), Is.EqualTo(someoneElses));
    }

    [Test]
    public async Task NoPolicyFileConfigured_PageExplainsHowToConfigureOne()
    {
        await using var host = await SidecarTestHost.StartAsync();
        await host.Service<UserStore>().UpsertAsync("ops", Role.OpsLead, "ops-password", CancellationToken.None);
        using var session = new ConsoleSession(host.BaseAddress);
        using (await session.SignInAsync("ops", "ops-password")) { }

        var (response, page) = await session.GetPageAsync("/console/policy");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.GetElementById("policy-not-configured")!.TextContent, Does.Contain("Sidecar:Policy:File").And.Contain("Sidecar__Policy__File"));
        Assert.That(page.GetElementById("policy-text"), Is.Null, "nothing to edit, and no path invented");
        Assert.That(page.GetElementById("policy-valid"), Is.Null, "there is no file to call valid");
        Assert.That(page.GetElementById("policy-built-in")!.TextContent, Does.Contain("No policy file is configured"));
        Assert.That(page.GetElementById("policy-source")!.TextContent, Does.Contain("built-in policy"));
    }

    [Test]
    public async Task PolicyFileRemovedAfterStart_PageSaysUnreadableAndTheLastGoodFileStaysInForce()
    {
        using var session = await SignInAsync("manager");
        File.Delete(_policyFile);

        var (_, page) = await session.GetPageAsync("/console/policy");

        Assert.Multiple(() =>
        {
            Assert.That(page.QuerySelector("[data-policy-state]")!.GetAttribute("data-policy-state"), Is.EqualTo("unreadable"));
            Assert.That(page.GetElementById("policy-valid"), Is.Null, "a missing file is not called valid");
            Assert.That(page.GetElementById("policy-errors")!.TextContent, Does.Contain("cannot be read").And.Contain("does not exist")
                .And.Contain("the last good version of the file"));
            Assert.That(page.GetElementById("policy-source")!.TextContent, Does.Contain(_policyFile).And.Contain("1 rule"));
        });
    }

    [Test]
    public async Task ValidFile_PageNamesTheFileAndItsRuleCount()
    {
        using var session = await SignInAsync("manager");

        var (_, page) = await session.GetPageAsync("/console/policy");

        Assert.That(page.QuerySelector("[data-policy-state]")!.GetAttribute("data-policy-state"), Is.EqualTo("valid"));
        Assert.That(page.GetElementById("policy-valid"), Is.Not.Null);
        Assert.That(page.GetElementById("policy-source")!.TextContent, Does.Contain(_policyFile).And.Contain("1 rule").And.Not.Contain("built-in"));
    }

    private async Task<ConsoleSession> SignInAsync(string name)
    {
        var session = new ConsoleSession(_host.BaseAddress);
        using var response = await session.SignInAsync(name, name + "-password");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sign-in");
        return session;
    }
}
