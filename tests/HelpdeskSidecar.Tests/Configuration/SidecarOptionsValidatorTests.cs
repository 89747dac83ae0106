using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Configuration;

/// <summary>The start-up check of <c>Sidecar:Policy:File</c>: a file the sidecar would refuse later stops it at start.</summary>
public class SidecarOptionsValidatorTests
{
    [Test, CancelAfter(60_000)]
    public void Validate_PolicyFileWithAliasBomb_RefusedQuicklyNamingTheSettingAndLine()
    {
        using var dir = new TempDirectory();
        var bomb = dir.File("policy.yaml", YamlBomb.Policy(levels: 9));

        var result = YamlBomb.Within(() => new SidecarOptionsValidator().Validate(new SidecarOptions { Policy = new PolicyOptions { File = bomb } }));

        var policy = result.Errors.Where(e => e.PropertyName == "Sidecar:Policy:File").Select(e => e.ErrorMessage).Single();
        Assert.That(policy, Does.StartWith("'Sidecar:Policy:File' is invalid:").And.Contain("(2,4): " + PolicyLoader.AliasesNotAllowed));
    }

    [Test]
    public void Validate_PolicyFileWithUnclosedBracket_RefusedNamingTheSettingAndLine()
    {
        using var dir = new TempDirectory();
        var file = dir.File("policy.yaml", "version: 1\nrules:\n  - name: legal\n    match:\n      keywords: [lawyer, sue\n    escalate: Legal.\n");

        var result = new SidecarOptionsValidator().Validate(new SidecarOptions { Policy = new PolicyOptions { File = file } });

        var policy = result.Errors.Where(e => e.PropertyName == "Sidecar:Policy:File").Select(e => e.ErrorMessage).Single();
        Assert.That(policy, Does.StartWith("'Sidecar:Policy:File' is invalid:").And.Contain("(5,17): This '[' is never closed"));
    }

    [Test]
    public void Validate_PolicyFileOver256KB_RefusedSayingSo()
    {
        using var dir = new TempDirectory();
        var big = dir.File("policy.yaml", "version: 1\nrules: []\n" + new string('#', PolicyLoader.MaxBytes));

        var result = new SidecarOptionsValidator().Validate(new SidecarOptions { Policy = new PolicyOptions { File = big } });

        var policy = result.Errors.Where(e => e.PropertyName == "Sidecar:Policy:File").Select(e => e.ErrorMessage).Single();
        Assert.That(policy, Does.EndWith("(1,1): The policy is larger than 256 KB."));
    }

    [Test]
    public void Validate_PolicyFileValid_NoPolicyError()
    {
        using var dir = new TempDirectory();
        var file = dir.File("policy.yaml", "version: 1\nrules:\n  - name: legal\n    match:\n      keywords: [lawyer]\n    escalate: Legal.\n");

        var result = new SidecarOptionsValidator().Validate(new SidecarOptions { Policy = new PolicyOptions { File = file } });

        Assert.That(result.Errors.Where(e => e.PropertyName.StartsWith("Sidecar:Policy", StringComparison.Ordinal)), Is.Empty);
    }

    [TestCase("00:00:01", "Sidecar:Scheduling:InvisibilityTimeout")]
    [TestCase("02:00:00", "Sidecar:Scheduling:InvisibilityTimeout")]
    public void Validate_InvisibilityTimeoutOutOfRange_RefusedNamingTheKey(string value, string key)
    {
        var options = new SidecarOptions();
        options.Scheduling.InvisibilityTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        var result = new SidecarOptionsValidator().Validate(options);

        Assert.That(result.Errors.Select(e => e.ErrorMessage).Single(), Does.StartWith($"'{key}' must be between"));
    }

    [Test]
    public void Validate_JobPollIntervalZero_RefusedNamingTheKey()
    {
        var options = new SidecarOptions();
        options.Scheduling.JobPollInterval = TimeSpan.Zero;

        var result = new SidecarOptionsValidator().Validate(options);

        Assert.That(result.Errors.Select(e => e.ErrorMessage).Single(), Does.StartWith("'Sidecar:Scheduling:JobPollInterval' must be between"));
    }

    [Test]
    public void Validate_SchedulingDefaults_RecoverWithinAMinute()
    {
        var scheduling = new SidecarOptions().Scheduling;

        Assert.That(new SidecarOptionsValidator().Validate(new SidecarOptions()).Errors.Select(e => e.ErrorMessage), Has.None.Contain("Sidecar:Scheduling"));
        Assert.That(scheduling.InvisibilityTimeout + scheduling.JobPollInterval, Is.LessThan(TimeSpan.FromSeconds(60)), "a job orphaned by kill -9 is fetched again within a minute");
    }
}
