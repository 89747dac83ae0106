using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// A ticket full of personal data goes through the real host (webhook → Hangfire → pipeline → note on a loopback
/// Zendesk). Every text that leaves the reasoning — the FTS query the index runs, every log line, every request
/// to the helpdesk — is captured, and none may hold a raw value planted in the ticket.
/// </summary>
public class NoRawPiiLeavesTests
{
    private static readonly string[] Planted =
    [
        "maria.lopez@example.org", "+44 7700 900123", "4111 1111 1111 1111", "4111111111111111",
        "DE89 3704 0044 0532 0130 00", "123-45-6789", "198.51.100.23", "s3cr3tT0ken9", "415-555-0142",
    ];

    [Test]
    public async Task TicketWithPii_LiveRun_NoRawValueInIndexQueriesLogsOrHelpdeskWritesAndTraceShowsWhatWasUnderstood()
    {
        var audit = new CapturingAudit();
        var logs = new CapturingLoggerProvider();
        await using var scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .With("Logging:LogLevel:HelpdeskSidecar=Trace")
            .ConfigureServices(b =>
            {
                b.Services.AddSingleton<IOutboundTextAudit>(audit);
                b.Logging.AddProvider(logs);
            })
            .WithArticle("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")
            .WithHistory(Copilot.Classification.IntentClassifierTests.History())
            .StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);

        zendesk.AddTicket(8484, "Refund to card 4111 1111 1111 1111 for maria.lopez@example.org",
            "I returned the item. Refund the card 4111111111111111 or wire it to DE89 3704 0044 0532 0130 00. My SSN is 123-45-6789.",
            "When will the refund reach my card? Call +44 7700 900123 or 415-555-0142. I logged in from 198.51.100.23 via https://shop.example.com/account?token=s3cr3tT0ken9 and wrote from maria.lopez@example.org again.");
        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-pii", 8484)))) { }

        var puts = await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(8484)), p => p.Count >= 1, because: "the internal note");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();

        Assert.That(audit.Texts, Is.Not.Empty, "the index query was observed");
        Assert.That(audit.Texts, Has.Some.Contains("refund"));
        var writes = zendesk.Requests.Where(r => r.Method != "GET").Select(r => r.Body ?? "").ToList();
        Assert.That(writes, Is.Not.Empty);
        Assert.That(logs.Lines, Is.Not.Empty, "the pipeline logged something");
        foreach (var value in Planted)
        {
            Assert.That(audit.Texts, Has.None.Contains(value), $"index query holds {value}");
            Assert.That(logs.Lines, Has.None.Contains(value), $"a log line holds {value}");
            Assert.That(writes, Has.None.Contains(value), $"a helpdesk write holds {value}");
        }
        Assert.That(note, Does.Contain("5 to 10 business days"), "the redacted ticket still finds the refund article");
        // Digits survive tokenizing as search terms; no run of a planted number may reach the index either.
        Assert.That(audit.Texts, Has.None.Contains("4111").And.None.Contains("900123").And.None.Contains("lopez").And.None.Contains("s3cr3tt0ken9"));

        var list = await host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=8484");
        var id = list!["items"]![0]!["id"]!.GetValue<string>();
        var detail = await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{id}");
        var redactions = detail!["trace"]!["understanding"]!["redactions"]!.AsObject();
        Assert.That(redactions.ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["email"] = 1, ["phone"] = 2, ["card"] = 1, ["iban"] = 1, ["ssn"] = 1, ["ip"] = 1, ["secret"] = 1,
        }));
        var understanding = detail["trace"]!["understanding"]!;
        Assert.That(understanding["language"]!.GetValue<string>(), Is.EqualTo("en"));
        Assert.That(understanding["intent"]!["label"]!.GetValue<string>(), Is.EqualTo("refund_status"));
        Assert.That(understanding["intent"]!["confidence"]!.GetValue<double>(), Is.GreaterThan(0).And.LessThanOrEqualTo(1));
        Assert.That(understanding["tags"]!.AsArray().Select(t => t!["label"]!.GetValue<string>()), Does.Contain("refund"));
        Assert.That(understanding["sentiment"]!["level"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(understanding["urgency"]!["level"]!.GetValue<string>(), Is.Not.Empty);
        var stored = detail.ToJsonString();
        foreach (var value in Planted)
            Assert.That(stored, Does.Not.Contain(value), $"the stored suggestion holds {value}");
    }

    private sealed class CapturingAudit : IOutboundTextAudit
    {
        private readonly ConcurrentQueue<string> _texts = new();

        public IReadOnlyList<string> Texts => _texts.ToList();

        public void Record(string channel, string text) => _texts.Enqueue(text);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToList();

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}
