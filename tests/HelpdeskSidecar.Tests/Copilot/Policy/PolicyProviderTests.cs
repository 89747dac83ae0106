using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

public class PolicyProviderTests
{
    private const string First = "version: 1\nrules:\n  - name: legal\n    match:\n      keywords: [lawyer]\n    escalate: Legal.\n";
    private const string Second = "version: 1\nrules:\n  - name: human\n    match:\n      keywords: [human]\n    escalate: Human.\n";
    private const string Broken = "version: 1\nrules:\n  - name: bad\n    match:\n      keywords: [x]\n    tiers: [vault]\n";

    private TempDirectory _temp = null!;
    private ManualTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private PolicyProvider Provider(string? file) => new(
        Options.Create(new SidecarOptions { Policy = new PolicyOptions { File = file, ReloadInterval = TimeSpan.FromSeconds(5) } }),
        _time, NullLogger<PolicyProvider>.Instance);

    [Test]
    public void Current_NoFileConfigured_IsTheBuiltInPolicy()
    {
        var snapshot = Provider(null).Current;

        Assert.That(snapshot.Source, Is.EqualTo(PolicyProvider.BuiltInSource));
        Assert.That(snapshot.Policy, Is.SameAs(CompiledPolicy.BuiltIn));
        Assert.That(snapshot.LastErrors, Is.Empty);
    }

    [Test]
    public void Current_FileChanged_ReloadedAfterTheInterval()
    {
        var file = _temp.File("policy.yaml", First);
        var provider = Provider(file);
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("legal"));
        Assert.That(provider.Current.Source, Is.EqualTo(Path.GetFullPath(file)));

        File.WriteAllText(file, Second);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("legal"), "not looked at again before the interval");

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("human"));
        Assert.That(provider.Current.LoadedAt, Is.EqualTo(_time.GetUtcNow()));
    }

    [Test]
    public void Current_InvalidEdit_KeepsTheLastGoodPolicyAndReportsFileLineAndReason()
    {
        var file = _temp.File("policy.yaml", First);
        var provider = Provider(file);
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("legal"));

        File.WriteAllText(file, Broken);
        _time.Advance(TimeSpan.FromSeconds(6));
        var snapshot = provider.Current;

        Assert.That(snapshot.Policy.Rules.Single().Name, Is.EqualTo("legal"));
        var error = snapshot.LastErrors.Single();
        Assert.That(error.File, Is.EqualTo(Path.GetFullPath(file)));
        Assert.That(error.Line, Is.EqualTo(6));
        Assert.That(error.Message, Does.Contain("vault"));
        Assert.That(provider.Decide(new PolicyInput(null, [], null, null, null, null, null, "my lawyer")).Rule, Is.EqualTo("legal"));

        // Fixed again: the new file is taken and the errors are cleared.
        File.WriteAllText(file, Second);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("human"));
        Assert.That(provider.Current.LastErrors, Is.Empty);
    }

    [Test]
    public void Current_InvalidFromTheStart_BuiltInWithErrors()
    {
        var file = _temp.File("policy.yaml", Broken);

        var snapshot = Provider(file).Current;

        Assert.That(snapshot.Source, Is.EqualTo(PolicyProvider.BuiltInSource));
        Assert.That(snapshot.LastErrors, Has.Count.EqualTo(1));
    }

    [Test]
    public void Current_FileDeleted_SaysItDoesNotExist_LastGoodPolicyStays()
    {
        var file = _temp.File("policy.yaml", First);
        var provider = Provider(file);
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("legal"));

        File.Delete(file);
        _time.Advance(TimeSpan.FromSeconds(6));
        var snapshot = provider.Current;

        Assert.That(snapshot.Policy.Rules.Single().Name, Is.EqualTo("legal"));
        Assert.That(snapshot.LastErrors.Single().Message, Is.EqualTo("The policy file does not exist."));
    }

    [Test]
    public void Current_FileGrownOver256KB_RejectedSayingSo_LastGoodPolicyStays()
    {
        var file = _temp.File("policy.yaml", First);
        var provider = Provider(file);
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("legal"));

        File.WriteAllText(file, Second + new string('#', PolicyLoader.MaxBytes + 10));
        _time.Advance(TimeSpan.FromSeconds(6));
        var snapshot = provider.Current;

        Assert.That(snapshot.Policy.Rules.Single().Name, Is.EqualTo("legal"));
        Assert.That(snapshot.LastErrors.Single().Message, Is.EqualTo("The policy is larger than 256 KB."));
    }

    [Test, CancelAfter(60_000)]
    public void Current_AliasBombWrittenToTheFile_RejectedQuickly_LastGoodPolicyStays()
    {
        var file = _temp.File("policy.yaml", First);
        var provider = Provider(file);
        Assert.That(provider.Current.Policy.Rules.Single().Name, Is.EqualTo("legal"));

        File.WriteAllText(file, YamlBomb.Policy(levels: 9));
        _time.Advance(TimeSpan.FromSeconds(6));

        var snapshot = YamlBomb.Within(() => provider.Current);

        Assert.That(snapshot.Policy.Rules.Single().Name, Is.EqualTo("legal"));
        Assert.That((snapshot.LastErrors.Single().Line, snapshot.LastErrors.Single().Message), Is.EqualTo((2L, PolicyLoader.AliasesNotAllowed)));
    }
}
