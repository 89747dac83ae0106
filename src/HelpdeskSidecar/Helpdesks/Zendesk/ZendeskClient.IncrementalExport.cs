using System.Globalization;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>A ticket as the incremental export lists it: enough to learn from (first message, final tags, status).</summary>
internal sealed record ExportedTicket(string Id, string Subject, string Description, string Status, IReadOnlyList<string> Tags, DateTimeOffset? UpdatedAt)
{
    public bool IsSolved => Status is "solved" or "closed";
}

/// <summary>One page of the export and the cursor to ask for the next one (also where the next run resumes).</summary>
internal sealed record ExportPage(IReadOnlyList<ExportedTicket> Tickets, string? AfterCursor, bool EndOfStream);

internal sealed partial class ZendeskClient
{
    /// <summary>
    /// Cursor-based incremental ticket export: <c>GET /api/v2/incremental/tickets/cursor.json</c> with <c>start_time</c>
    /// on the first call and <c>cursor</c> after that, until <c>end_of_stream</c>.
    /// </summary>
    public async Task<ExportPage> ExportTicketsAsync(DateTimeOffset startTime, string? cursor, CancellationToken ct)
    {
        var page = await _answers.ReadAsync(cursor is null
            ? api.ExportTicketsAsync(startTime.ToUnixTimeSeconds(), cursor: null, ct)
            : api.ExportTicketsAsync(startTime: null, cursor, ct), ct);
        var tickets = (page.Tickets ?? []).Select(t => new ExportedTicket(
            t.Id.ToString(CultureInfo.InvariantCulture), t.Subject ?? "", t.Description ?? "", t.Status ?? "", t.Tags ?? [], t.UpdatedAt)).ToList();
        return new ExportPage(tickets, page.AfterCursor, page.EndOfStream);
    }
}

internal sealed record ZendeskIncrementalTicketPage
{
    [JsonPropertyName("tickets")] public List<ZendeskTicket>? Tickets { get; init; }
    [JsonPropertyName("after_cursor")] public string? AfterCursor { get; init; }
    [JsonPropertyName("end_of_stream")] public bool EndOfStream { get; init; }
}
