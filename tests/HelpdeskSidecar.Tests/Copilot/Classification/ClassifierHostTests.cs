using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Copilot.Classification;

/// <summary>History in a real SQLite file: imported redacted, learned from, relearned when it changes.</summary>
public class ClassifierHostTests
{
    [Test]
    public async Task Import_ThenGet_TrainsOnHistoryAndRetrainsAfterNextImport()
    {
        await using var host = await SidecarTestHost.StartAsync();
        var store = host.Service<HistoryStore>();
        var classifiers = host.Service<ClassifierHost>();
        Assert.That(await classifiers.GetAsync(CancellationToken.None), Is.Null, "no history, no classifier");

        var history = IntentClassifierTests.History();
        Assert.That((await store.ImportAsync("test", history, CancellationToken.None)).Added, Is.EqualTo(history.Count));
        var first = await classifiers.GetAsync(CancellationToken.None);
        Assert.That(first!.Intents, Is.EquivalentTo(new[] { "refund_status", "login_problem", "parcel_late" }));
        Assert.That(await classifiers.GetAsync(CancellationToken.None), Is.SameAs(first), "unchanged history, same model");

        await store.ImportAsync("test", [new LabeledText("I want to change my delivery address to my office", "change_address", ["delivery"])], CancellationToken.None);
        var second = await classifiers.GetAsync(CancellationToken.None);
        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(second!.Intents, Does.Contain("change_address"));
    }

    [Test]
    public async Task Import_TextWithPii_StoredRedacted()
    {
        await using var host = await SidecarTestHost.StartAsync();
        var store = host.Service<HistoryStore>();
        await store.ImportAsync("test", [new LabeledText("refund to jo@example.com please", "refund_status", [])], CancellationToken.None);
        var stored = await store.LoadAsync(CancellationToken.None);
        Assert.That(stored.Single().Text, Is.EqualTo("refund to [EMAIL_1] please"));
    }
}
