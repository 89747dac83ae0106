using System.Globalization;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>A ticket as the incremental export lists it.</summary>
public sealed record ExportedFakeTicket(long Id, string Subject, string Description, string Status, params string[] Tags);

public sealed partial class FakeZendesk
{
    /// <summary>
    /// The incremental export's change log, oldest first: a ticket that changes is appended again, as the real export
    /// lists it again after its new <c>updated_at</c>. The cursor is a position in this log.
    /// </summary>
    public List<ExportedFakeTicket> ExportLog { get; } = [];

    /// <summary>Incremental ticket export (cursor): the envelope is the recorded page, tickets shaped like the recorded ticket.</summary>
    private IResponseMessage ExportTickets(IRequestMessage request)
    {
        var cursor = WireMockLoopback.Query(request, "cursor");
        if (cursor is null && WireMockLoopback.Query(request, "start_time") is null)
            return WireMockLoopback.Json(new JsonObject { ["error"] = "InvalidPaginationParameter" }, 400);
        var start = cursor is not null ? int.Parse(cursor, CultureInfo.InvariantCulture) : 0;
        var page = ExportLog.Skip(start).Take(PageSize).ToList();
        var next = start + page.Count;
        var template = JsonNode.Parse(Fixtures.Text("zendesk/show_ticket.json"))!["ticket"]!;
        var envelope = JsonNode.Parse(Fixtures.Text("zendesk/incremental_export_tickets.json"))!.AsObject();
        var tickets = new JsonArray();
        foreach (var t in page)
        {
            var node = template.DeepClone();
            node["id"] = t.Id;
            node["subject"] = t.Subject;
            node["raw_subject"] = t.Subject;
            node["description"] = t.Description;
            node["status"] = t.Status;
            node["tags"] = new JsonArray(t.Tags.Select(tag => (JsonNode)JsonValue.Create(tag)!).ToArray());
            tickets.Add(node);
        }
        envelope["tickets"] = tickets;
        envelope["end_of_stream"] = next >= ExportLog.Count;
        envelope["after_cursor"] = next.ToString(CultureInfo.InvariantCulture);
        envelope["after_url"] = $"{BaseUrl}/api/v2/incremental/tickets/cursor.json?cursor={next}";
        return WireMockLoopback.Json(envelope);
    }

    public IReadOnlyList<RecordedRequest> ExportRequests() =>
        Requests.Where(r => r.PathAndQuery.StartsWith("/api/v2/incremental/tickets/cursor.json", StringComparison.Ordinal)).ToList();
}
