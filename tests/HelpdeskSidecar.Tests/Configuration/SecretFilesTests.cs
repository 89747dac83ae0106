using System.Net;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Configuration;

/// <summary>
/// Secrets from mounted files (<c>Sidecar:…_FILE</c>), so none has to be written on the command line, where the process
/// listing shows it to every local user.
/// </summary>
[NonParallelizable] // one test sets a process environment variable; the CLI tests redirect Console
public class SecretFilesTests
{
    private TempDirectory _files = null!;

    [SetUp]
    public void Create() => _files = new TempDirectory();

    [TearDown]
    public void Remove() => _files.Dispose();

    private string SecretFile(string name, string content)
    {
        var path = Path.Combine(_files.Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public async Task ApiTokenAndWebhookSecretFromFiles_ReachTheOptions_AndTheSignatureCheck()
    {
        var token = SecretFile("zendesk-api-token", "zd-token-from-a-file\n");
        var webhook = SecretFile("zendesk-webhook-secret", "rotated-webhook-secret\r\n");

        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Zendesk:Subdomain=acme", "Sidecar:Zendesk:Email=ops@acme.example", $"Sidecar:Zendesk:ApiToken_FILE={token}",
            $"Sidecar:Zendesk:WebhookSecrets:1_FILE={webhook}"]);

        var options = host.Service<IOptions<SidecarOptions>>().Value;
        Assert.That(options.Zendesk.ApiToken, Is.EqualTo("zd-token-from-a-file"), "one trailing line break dropped");
        Assert.That(options.Zendesk.WebhookSecrets, Is.EqualTo(new[] { SidecarTestHost.Secret, "rotated-webhook-secret" }));
        using var signed = await host.AnonymousClient.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-file-1", 4001), secret: "rotated-webhook-secret"));
        Assert.That(signed.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task EnvironmentVariable_FileSuffix_ReadsTheFile()
    {
        var key = SecretFile("llm-api-key", "sk-from-a-mounted-secret");
        Environment.SetEnvironmentVariable("Sidecar__Llm__ApiKey_FILE", key);
        try
        {
            await using var host = await SidecarTestHost.StartAsync();
            Assert.That(host.Service<IOptions<SidecarOptions>>().Value.Llm.ApiKey, Is.EqualTo("sk-from-a-mounted-secret"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Sidecar__Llm__ApiKey_FILE", null);
        }
    }

    [Test]
    public async Task Cli_MissingFile_Exits2NamingTheKey()
    {
        using var data = new TempDirectory();

        var (code, _, error) = await CliRunner.RunAsync("report", "tags", $"--Sidecar:DataDir={data.Path}",
            $"--Sidecar:Freshdesk:ApiKey_FILE={Path.Combine(_files.Path, "absent")}");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: invalid configuration: 'Sidecar:Freshdesk:ApiKey_FILE'").And.Contain("no such file").And.Not.Contain("\n"));
    }

    [Test]
    public async Task Cli_BothKeyAndFile_Exits2NamingBoth()
    {
        using var data = new TempDirectory();
        var file = SecretFile("api-key", "from-file");

        var (code, _, error) = await CliRunner.RunAsync("report", "tags", $"--Sidecar:DataDir={data.Path}",
            "--Sidecar:Freshdesk:ApiKey=on-the-command-line", $"--Sidecar:Freshdesk:ApiKey_FILE={file}");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("'Sidecar:Freshdesk:ApiKey'").And.Contain("'Sidecar:Freshdesk:ApiKey_FILE'"));
        Assert.That(error, Does.Not.Contain("from-file"), "never the secret itself");
    }

    [Test]
    public async Task Cli_EmptyFile_Exits2()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await CliRunner.RunAsync("report", "tags", $"--Sidecar:DataDir={data.Path}",
            $"--Sidecar:Feedback:SigningKey_FILE={SecretFile("empty", "")}");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("'Sidecar:Feedback:SigningKey_FILE'").And.Contain("empty"));
    }
}
