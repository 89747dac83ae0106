using System.Collections.Concurrent;
using System.Net;
using HelpdeskSidecar.Hosting;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.Hosting;

/// <summary>
/// A feedback link's token never reaches a log, at Information and below, whatever a provider reads: the formatted
/// message, the structured values (as a JSON or OpenTelemetry exporter does) or the scopes (the request path).
/// </summary>
public class LogRedactionTests
{
    /// <summary>Everything a provider can see of an entry: message, each structured value, each scope.</summary>
    private sealed class EverythingLogged : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<string> Texts { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private void Add(object? state)
        {
            Texts.Enqueue(state?.ToString() ?? "");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values)
                    Texts.Enqueue($"{key}={value}");
        }

        private sealed class Logger(EverythingLogged owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner.Texts.Enqueue(formatter(state, exception));
                owner.Add(state);
                owner._scopes?.ForEachScope((scope, _) => owner.Add(scope), (object?)null);
            }
        }
    }

    [Test]
    public async Task FeedbackLinkUsed_AtInformation_NoLogCarriesTheToken()
    {
        var logs = new EverythingLogged();
        await using var host = await SidecarTestHost.StartAsync(
            ["Logging:LogLevel:Default=Trace", "Logging:LogLevel:Microsoft.AspNetCore=Information"],
            b => b.Logging.AddProvider(logs));
        var at = TimeProvider.System.GetUtcNow();
        var id = Guid.CreateVersion7(at).ToString("N");
        await host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = "t1", TriggerKey = "c1", CreatedAt = at, Kind = SuggestionKind.Draft, Mode = "Shadow",
            Draft = "Refunds take 5 days.", Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        var token = host.Service<FeedbackLinks>().Token(id, FeedbackLinks.Accept, at.AddDays(1));

        using (var page = await host.AnonymousClient.GetAsync($"/feedback/{token}"))
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var used = await host.AnonymousClient.PostAsync($"/FEEDBACK/{token}?x=1", null))
            Assert.That(used.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var again = await host.AnonymousClient.PostAsync($"/feedback/{token}", null))
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        await Eventually.GetAsync(() => Task.FromResult(logs.Texts.ToList()), t => t.Count(l => l.Contains("Request finished", StringComparison.Ordinal)) >= 3,
            because: "the three requests to be logged as finished");

        var texts = logs.Texts.ToList();
        var (payload, signature) = (token.Split('.')[0], token.Split('.')[1]);
        Assert.That(texts.Where(t => t.Contains(payload, StringComparison.Ordinal) || t.Contains(signature, StringComparison.Ordinal)), Is.Empty);
        Assert.That(texts.Where(t => t.Contains("Request starting", StringComparison.Ordinal) && t.Contains(LogRedaction.Replacement, StringComparison.OrdinalIgnoreCase)).Count(),
            Is.GreaterThanOrEqualTo(3), "the request log is kept, with the token cut out");
        Assert.That(texts.Where(t => t.StartsWith("RequestPath=", StringComparison.Ordinal)), Is.Not.Empty, "scopes were seen");
    }

    [TestCase("GET https://sidecar.example.com/feedback/YWJj.ZGVm - - -", "GET https://sidecar.example.com/feedback/[redacted] - - -")]
    [TestCase("RequestPath:/feedback/YWJj.ZGVm RequestId:1", "RequestPath:/feedback/[redacted] RequestId:1")]
    [TestCase("/Feedback/YWJj.ZGVm?x=1", "/feedback/[redacted]?x=1")]
    [TestCase("/api/suggestions/abc", "/api/suggestions/abc")]
    public void Redact_CutsTheTokenSegmentOnly(string text, string expected)
    {
        Assert.That(LogRedaction.Redact(text), Is.EqualTo(expected));
    }
}
