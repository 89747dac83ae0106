using HelpdeskSidecar.Cli;

namespace HelpdeskSidecar.Tests.Cli;

public class HostSettingsTests
{
    [TestCase("--Sidecar:Mode=Live")]
    [TestCase("--urls=http://127.0.0.1:5080")]
    [TestCase("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information")]
    [TestCase("--Sidecar:Zendesk:WebhookSecrets:0=s3cret=")]
    [TestCase("--Sidecar:Llm:ApiKey=")]
    public void IsSetting_KeyEqualsValue_True(string token) => Assert.That(HostSettings.IsSetting(token), Is.True);

    [TestCase("--nmae")]
    [TestCase("--Sidecar:Mode")]
    [TestCase("-x=1")]
    [TestCase("--=1")]
    [TestCase("Sidecar:Mode=Live")]
    [TestCase("extra")]
    public void IsSetting_AnythingElse_False(string token) => Assert.That(HostSettings.IsSetting(token), Is.False);

    [Test]
    public void Problem_LongBinaryArgument_QuotesAShortPrintableExcerpt()
    {
        var problem = HostSettings.Problem(["\u001b[31m" + new string('x', 500)]);
        Assert.That(problem, Does.StartWith("unexpected argument '?[31mxxx").And.Not.Contain("\u001b"));
        Assert.That(problem!.Length, Is.LessThan(100));
    }
}
