using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// The helpdesk misbehaves while a burst is written back: the first notes get 429 (Retry-After: 1), the next ones
/// 503, and the client-side limit is set below the burst. Reports whether every note arrived once, how long the
/// backlog took to drain, and the most ticket updates the fake saw in any sliding window (must not exceed the limit).
/// </summary>
internal static class FaultBenchmark
{
    private const int Tickets = 200;
    private const int Refused429 = 40;
    private const int Refused503 = 20;
    private const int UpdatesPerWindow = 50;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task<string> RunAsync()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.PageSize = 100;
        zendesk.FailNextUpdates(429, "1", Refused429);
        zendesk.FailNextUpdates(503, null, Refused503);
        await using var host = await BenchHost.StartAsync(
            "Sidecar:Mode=Live",
            $"Sidecar:Zendesk:BaseUrl={zendesk.BaseUrl}",
            "Sidecar:Zendesk:OAuthToken=bench",
            "Sidecar:Scheduling:Debounce=00:00:00",
            "Sidecar:Scheduling:RetryInitialDelay=00:00:01",
            "Sidecar:Scheduling:RetryMaxDelay=00:00:10",
            "Sidecar:Zendesk:RateLimit:Requests=0",
            $"Sidecar:Zendesk:RateLimit:TicketUpdates={UpdatesPerWindow}",
            $"Sidecar:Zendesk:RateLimit:Window={Window}");

        const long firstId = 300_000;
        var tickets = Enumerable.Range(0, Tickets)
            .Select(i => zendesk.AddTicket(firstId + i, $"Question {i}", "My parcel arrived damaged, the box was crushed")).ToList();

        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var started = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Tickets).Select(async i =>
        {
            using var response = await client.SendAsync(BenchHost.Request(BenchHost.SignedEvent($"f-{i}", firstId + i)));
            response.EnsureSuccessStatusCode();
        }));

        // Wait (bounded) until every ticket has its note, then a little longer for any duplicate to show.
        var deadline = TimeSpan.FromSeconds(110);
        while (Written(tickets).Count < Tickets && TimeProvider.System.GetElapsedTime(started) < deadline)
            await Task.Delay(100);
        var drained = TimeProvider.System.GetElapsedTime(started);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var written = Written(tickets);
        var puts = zendesk.Requests.Where(r => r.Method == "PUT").Select(r => r.ReceivedAt).Order().ToList();
        var maxInWindow = 0;
        for (int first = 0, last = 0; last < puts.Count; last++)
        {
            while (TimeProvider.System.GetElapsedTime(puts[first], puts[last]) >= Window)
                first++;
            maxInWindow = Math.Max(maxInWindow, last - first + 1);
        }

        return new JsonObject
        {
            ["bench"] = "fault",
            ["tickets"] = Tickets,
            ["refused_429"] = Refused429,
            ["refused_503"] = Refused503,
            ["notes_written"] = written.Count,
            ["duplicate_notes"] = written.Values.Sum(n => n - 1),
            ["drain_s"] = Math.Round(drained.TotalSeconds, 1),
            ["put_requests"] = puts.Count,
            ["limit_updates_per_window"] = UpdatesPerWindow,
            ["window_s"] = Window.TotalSeconds,
            ["max_updates_in_any_window"] = maxInWindow,
            ["cores"] = Environment.ProcessorCount,
        }.ToJsonString();
    }

    /// <summary>Notes per ticket that has any, counted as the comments the fake stored (a refused PUT stores nothing).</summary>
    private static Dictionary<long, int> Written(List<FakeTicket> tickets) =>
        tickets.Select(t => (t.Id, Notes: t.Comments.Count(c => c.AuthorId == FakeZendesk.AgentId)))
            .Where(t => t.Notes > 0).ToDictionary(t => t.Id, t => t.Notes);
}
