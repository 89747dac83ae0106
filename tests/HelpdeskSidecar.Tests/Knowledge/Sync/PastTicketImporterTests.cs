using Dapper;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Knowledge.Sync;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge.Sync;

/// <summary>Solved tickets from the Zendesk incremental export become <c>past_ticket</c> history, resuming from the cursor.</summary>
public class PastTicketImporterTests
{
    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithZendesk().StartAsync();
        (_zendesk, _host) = (_scenario.Zendesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    private Task<PastTicketReport> ImportAsync() =>
        _host.Service<PastTicketImporter>().ImportAsync(_host.Service<ZendeskClient>(), null, CancellationToken.None);

    [Test]
    public async Task ImportAsync_SolvedAndOpenTickets_ImportsSolvedWithFinalTagsRedacted()
    {
        _zendesk.ExportLog.Add(new(1, "Refund please", "I was charged twice, write to jane.doe@example.com", "solved", "billing", "refund"));
        _zendesk.ExportLog.Add(new(2, "Where is my parcel", "Still waiting for my order", "open", "shipping"));
        _zendesk.ExportLog.Add(new(3, "Parcel lost", "The courier lost my parcel", "closed", "shipping", "lost"));

        var report = await ImportAsync();

        Assert.That((report.Exported, report.Imported, report.Pages), Is.EqualTo((3, 2, 2)));
        Assert.That(report.TrainedOn, Is.EqualTo(2));
        await using var connection = await _host.Service<Database>().OpenAsync();
        var rows = (await connection.QueryAsync<(string Source, string Text, string Tags)>("SELECT source, text, tags FROM history_tickets ORDER BY id")).ToList();
        Assert.That(rows.Select(r => r.Source).Distinct(), Is.EqualTo(new[] { PastTicketImporter.HistorySource }));
        Assert.That(rows.Select(r => r.Tags), Is.EqualTo(new[] { "billing refund", "shipping lost" }));
        Assert.That(rows[0].Text, Does.Contain("charged twice").And.Not.Contain("jane.doe@example.com"));
        Assert.That(_zendesk.ExportRequests()[0].PathAndQuery, Does.Contain("start_time=0"));
    }

    [Test]
    public async Task ImportAsync_SecondRun_ResumesFromSavedCursorAndReadsOnlyNewChanges()
    {
        _zendesk.ExportLog.Add(new(1, "Refund please", "I was charged twice", "solved", "billing"));
        await ImportAsync();
        var before = _zendesk.ExportRequests().Count;
        _zendesk.ExportLog.Add(new(1, "Refund please", "I was charged twice", "closed", "billing", "refund"));
        _zendesk.ExportLog.Add(new(4, "Change address", "Please update my delivery address", "solved", "account"));

        var second = await ImportAsync();

        Assert.That(second.Exported, Is.EqualTo(2));
        Assert.That(_zendesk.ExportRequests()[before].PathAndQuery, Does.Contain("cursor=1"));
        var history = await _host.Service<HistoryStore>().LoadAsync(CancellationToken.None);
        Assert.That(history.Select(h => string.Join(' ', h.Tags)), Is.EquivalentTo(new[] { "billing refund", "account" }));
    }
}
