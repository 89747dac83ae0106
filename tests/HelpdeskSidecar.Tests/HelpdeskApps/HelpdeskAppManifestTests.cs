using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Tests.Manifests;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.HelpdeskApps;

/// <summary>
/// The helpdesk apps' manifests as Zendesk (ZAF v2) and Freshworks (FDK platform 3) read them, that no file of either app
/// holds a token, and the Zendesk packaging script's zip.
/// </summary>
public sealed partial class HelpdeskAppManifestTests
{
    private static JsonNode Json(string relative) => JsonNode.Parse(File.ReadAllText(ManifestFiles.PathOf(relative)))!;

    [Test]
    public void Zendesk_Manifest_IsATicketSidebarAppWithASecureTokenAndASidecarUrl()
    {
        var manifest = Json("zendesk/app/manifest.json");

        Assert.That((string?)manifest["frameworkVersion"], Is.EqualTo("2.0"));
        var url = (string?)manifest["location"]?["support"]?["ticket_sidebar"]?["url"];
        Assert.That(url, Is.EqualTo("assets/iframe.html"));
        Assert.That(File.Exists(ManifestFiles.PathOf("zendesk/app/" + url)), url);
        Assert.That(manifest["domainWhitelist"], Is.InstanceOf<JsonArray>(), "package.sh fills it with the sidecar's host");
        var parameters = manifest["parameters"]!.AsArray().ToDictionary(p => (string)p!["name"]!);
        Assert.That(parameters.Keys, Is.EquivalentTo(new[] { "sidecar_url", "token" }));
        Assert.That((bool?)parameters["token"]!["secure"], Is.True);
        Assert.That((bool?)parameters["sidecar_url"]!["secure"], Is.Not.True, "the app reads the URL; only the token is secure");
        Assert.That((string?)manifest["defaultLocale"], Is.EqualTo("en"));

        var en = Json("zendesk/app/translations/en.json");
        Assert.That((string?)en["app"]?["name"], Is.Not.Empty);
        foreach (var name in parameters.Keys)
            Assert.That((string?)en["app"]?["parameters"]?[name]?["label"], Is.Not.Null.And.Not.Empty, name);
    }

    [Test]
    public void Freshdesk_Manifest_IsPlatform3_WithTemplatesForEveryRequest_AndASecureToken()
    {
        var manifest = Json("freshdesk/app/manifest.json");
        var templates = Json("freshdesk/app/config/requests.json").AsObject();
        var iparams = Json("freshdesk/app/config/iparams.json").AsObject();

        Assert.That((string?)manifest["platform-version"], Is.EqualTo("3.0"));
        var sidebar = manifest["modules"]?["support_ticket"]?["location"]?["ticket_sidebar"];
        Assert.That(File.Exists(ManifestFiles.PathOf("freshdesk/app/app/" + (string?)sidebar?["url"])), "ticket_sidebar url");
        Assert.That(File.Exists(ManifestFiles.PathOf("freshdesk/app/app/" + (string?)sidebar?["icon"])), "ticket_sidebar icon");
        var declared = manifest["modules"]!["support_ticket"]!["requests"]!.AsObject().Select(p => p.Key);
        Assert.That(declared, Is.EquivalentTo(templates.Select(p => p.Key)));

        Assert.That((bool?)iparams["token"]?["secure"], Is.True);
        Assert.That((bool?)iparams["sidecar_host"]?["secure"], Is.Not.True);
        foreach (var (name, template) in templates)
        {
            var schema = template!["schema"]!;
            Assert.That((string?)schema["headers"]?["Authorization"], Is.EqualTo("Bearer <%= iparam.token %>"), name);
            Assert.That((string?)schema["host"], Is.EqualTo("<%= iparam.sidecar_host %>"), name);
            Assert.That((string?)schema["protocol"], Is.EqualTo("https"), name);
            Assert.That((string?)schema["path"], Does.StartWith("/api/suggestions/"), name);
            foreach (Match used in IparamUse().Matches(template.ToJsonString()))
                Assert.That(iparams.ContainsKey(used.Groups[1].Value), $"{name} uses iparam.{used.Groups[1].Value}");
        }
    }

    [Test]
    public void NoAppFile_HoldsAToken_OrCallsAnythingButTheHelpdeskClient()
    {
        var files = Directory.GetFiles(ManifestFiles.PathOf("zendesk/app"), "*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(ManifestFiles.PathOf("freshdesk/app"), "*", SearchOption.AllDirectories)).ToList();
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(12));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var bearers = Bearer().Matches(text).Select(m => m.Groups[1].Value).ToList();
            Assert.That(bearers, Is.All.AnyOf("{{setting.token}}", "<%= iparam.token %>"), file);
            Assert.That(text, Does.Not.Match(@"sk_[A-Za-z0-9]{8,}|hs_[A-Za-z0-9]{8,}"), file);
            if (Path.GetExtension(file) is ".js" or ".html")
            {
                // Only the helpdesk's client leaves the page: no fetch, XHR or external script.
                Assert.That(text, Does.Not.Contain("fetch(").And.Not.Contain("XMLHttpRequest").And.Not.Contain("src=\"http"), file);
            }
        }
        Assert.That(File.ReadAllText(ManifestFiles.PathOf("freshdesk/app/app/scripts/sidecar-panel.js")),
            Is.EqualTo(File.ReadAllText(ManifestFiles.PathOf("zendesk/app/assets/sidecar-panel.js"))), "the shared panel is one file, copied");
    }

    [Test]
    public async Task ZendeskPackage_IsTheZipZcliTakes_WithTheSdkBundled_AndTheSidecarHostWhitelisted()
    {
        if (!OnPath("npm") || !OnPath("zip"))
        {
            const string reason = "npm and zip are needed to package the Zendesk app";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
                Assert.Fail(reason);
            Assert.Ignore(reason);
        }
        using var dir = new TempDirectory();
        var zip = Path.Combine(dir.Path, "app.zip");

        var (noHost, _, noHostError) = await RunAsync(ManifestFiles.PathOf("zendesk/package.sh"));
        var (code, _, error) = await RunAsync(ManifestFiles.PathOf("zendesk/package.sh"), "sidecar.example.com", zip);

        Assert.That((noHost, noHostError.Trim()), Is.EqualTo((2, "package.sh: give the sidecar's host name (e.g. sidecar.example.com) as the first argument")));
        Assert.That(code, Is.Zero, error);
        using var archive = ZipFile.OpenRead(zip);
        var entries = archive.Entries.Where(e => e.Name.Length > 0).Select(e => e.FullName).ToList();
        Assert.That(entries, Is.SupersetOf(new[]
        {
            "manifest.json", "translations/en.json", "assets/iframe.html", "assets/main.js", "assets/sidecar-panel.js",
            "assets/sidecar-panel.css", "assets/zaf_sdk.js",
        }));
        Assert.That(entries, Has.All.Match("^(manifest\\.json|translations/|assets/)"));
        using var manifestReader = new StreamReader(archive.GetEntry("manifest.json")!.Open());
        var manifest = JsonNode.Parse(await manifestReader.ReadToEndAsync())!;
        Assert.That(manifest["domainWhitelist"]!.AsArray().Select(d => (string?)d), Is.EqualTo(new[] { "sidecar.example.com" }));
        using var sdkReader = new StreamReader(archive.GetEntry("assets/zaf_sdk.js")!.Open());
        var sdk = await sdkReader.ReadToEndAsync();
        Assert.That(sdk, Does.Contain("zendesk_app_framework_sdk 2.0.11").And.Contain("ZAFClient.init = function"));

        // The bundle runs in a browser and defines ZAFClient.init, as the SDK's own build does.
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync("http://127.0.0.1/");
        await page.SetContentAsync("<!DOCTYPE html><title>sdk</title>");
        await page.AddScriptTagAsync(new() { Content = sdk });
        Assert.That(await page.EvaluateAsync<string>("typeof window.ZAFClient.init"), Is.EqualTo("function"));
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private static async Task<(int Code, string Output, string Error)> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"Bearer\s+([^""']*)")]
    private static partial Regex Bearer();

    [GeneratedRegex(@"iparam\.(\w+)")]
    private static partial Regex IparamUse();
}
