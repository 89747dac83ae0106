using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Logging;
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

    private PolicyProvider Provider(string? file, ClassifierHost? classifiers = null, ILogger<PolicyProvider>? logger = null) => new(
        Options.Create(new SidecarOptions { Policy = new PolicyOptions { File = file, ReloadInterval = TimeSpan.FromSeconds(5) } }),
        classifiers ?? new ClassifierHost(new HistoryStore(_temp.Database(), _time), _time, NullLogger<ClassifierHost>.Instance),
        _time, logger ?? NullLogger<PolicyProvider>.Instance);

    // QA #21: a rule naming an intent the classifier never predicts was accepted without a word.
    private const string UnknownIntent = "version: 1\nrules:\n  - name: refunds\n    match:\n      intent: [refund_status, refunds]\n    mode: live\n";

    [Test]
    public async Task Current_RuleNamesAnIntentTheClassifierDoesNotKnow_AcceptedWithAWarningOnItsLine_Logged()
    {
        var history = new HistoryStore(_temp.Database(), _time);
        await history.ImportAsync("test", IntentClassifierTests.History(), CancellationToken.None);
        using var classifiers = new ClassifierHost(history, _time, NullLogger<ClassifierHost>.Instance);
        await classifiers.RetrainAsync(CancellationToken.None);
        var logger = new CapturingLogger<PolicyProvider>();

        var snapshot = Provider(_temp.File("policy.yaml", UnknownIntent), classifiers, logger).Current;

        Assert.That(snapshot.Policy.Rules.Single().Name, Is.EqualTo("refunds"), "a warning does not reject the file");
        Assert.That(snapshot.LastErrors, Is.Empty);
        var warning = snapshot.Warnings.Single();
        Assert.That((warning.Line, warning.Column), Is.EqualTo((5L, 31L)));
        Assert.That(warning.Message, Does.Contain("'refunds' matches intent 'refunds', which the classifier does not know").And.Contain("known intents: login_problem, parcel_late, refund_status."));
        Assert.That(logger.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message),
            Has.One.Contains("line 5, column 31").And.Contains("intent 'refunds'"));
    }

    [Test]
    public async Task HostStart_HistoryAndAPolicyNamingAnUnknownIntent_LogsTheWarning()
    {
        var dataDir = Path.Combine(_temp.Path, "data");
        var file = _temp.File("policy.yaml", UnknownIntent);
        await using (var first = await SidecarTestHost.StartAsync([$"Sidecar:DataDir={dataDir}"]))
            await first.Service<HistoryStore>().ImportAsync("test", IntentClassifierTests.History(), CancellationToken.None);
        var logs = new CapturingLoggerProvider();

        await using var host = await SidecarTestHost.StartAsync([$"Sidecar:DataDir={dataDir}", $"Sidecar:Policy:File={file}"],
            configure: b => b.Logging.AddProvider(logs));

        var warning = await Eventually.GetAsync(() => Task.FromResult(logs.Lines.FirstOrDefault(l => l.Message.Contains("intent 'refunds'", StringComparison.Ordinal))),
            l => l.Message is not null, because: "the start-up check against the classifier's intents");
        Assert.That(warning.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(warning.Message, Does.Contain("line 5, column 31"));
    }

    [Test]
    public async Task Current_ClassifierTrainedAfterTheFileWasLoaded_WarnsAtTheNextCheck()
    {
        var history = new HistoryStore(_temp.Database(), _time);
        using var classifiers = new ClassifierHost(history, _time, NullLogger<ClassifierHost>.Instance);
        var provider = Provider(_temp.File("policy.yaml", UnknownIntent), classifiers);
        Assert.That(provider.Current.Warnings, Is.Empty, "no labels yet: nothing to compare with");

        await history.ImportAsync("test", IntentClassifierTests.History(), CancellationToken.None);
        await classifiers.RetrainAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.That(provider.Current.Warnings.Select(w => w.Line), Is.EqualTo(new[] { 5L }));
    }

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
