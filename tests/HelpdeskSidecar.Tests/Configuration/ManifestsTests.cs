using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Configuration;

/// <summary>The setup files in manifests/ as their readers take them.</summary>
public class ManifestsTests
{
    private static string Manifests => Path.Combine(Path.GetDirectoryName(Samples.Root)!, "manifests");

    public static IEnumerable<string> EnvExamples() => ["freshdesk/sidecar.env.example", "zendesk/sidecar.env.example"];

    /// <summary>
    /// docker --env-file and systemd EnvironmentFile take everything after the first '=' as the value, a trailing
    /// "# comment" included: a comment must sit on its own line.
    /// </summary>
    [TestCaseSource(nameof(EnvExamples))]
    public void EnvExample_ReadAsAnEnvFile_NoValueCarriesAComment(string file)
    {
        var settings = File.ReadAllLines(Path.Combine(Manifests, file))
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToList();

        Assert.That(settings, Is.Not.Empty);
        foreach (var setting in settings)
        {
            Assert.That(setting, Has.Length.EqualTo(2), string.Join('=', setting));
            Assert.That(setting[1], Does.Not.Contain("#").And.EqualTo(setting[1].Trim()), setting[0]);
        }
        var mode = settings.Single(s => s[0] == "Sidecar__Mode")[1];
        Assert.That(Enum.TryParse<SidecarMode>(mode, out _), Is.True, $"Sidecar__Mode={mode}");
    }

    [Test]
    public void ZendeskReadme_ManualSteps_NameEveryEventTheWebhookSubscribes()
    {
        var readme = File.ReadAllText(Path.Combine(Manifests, "zendesk", "README.md"));
        var manual = readme[readme.IndexOf("Zendesk events", StringComparison.Ordinal)..];
        foreach (var label in new[] { "*Ticket created*", "*Comment added*", "*Status changed*" })
            Assert.That(manual, Does.Contain(label));
        var webhook = File.ReadAllText(Path.Combine(Manifests, "zendesk", "webhook.json"));
        Assert.That(webhook, Does.Contain("zen:event-type:ticket.status_changed"), "the manual steps mirror webhook.json");
    }
}
