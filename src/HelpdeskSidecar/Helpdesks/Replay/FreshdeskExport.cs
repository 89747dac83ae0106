using System.Text.Json;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Helpdesks.Freshdesk;

namespace HelpdeskSidecar.Helpdesks.Replay;

/// <summary>
/// A Freshdesk export file: a JSON array of tickets as View a Ticket returns them with
/// <c>?include=conversations,requester</c> (each ticket's replies and notes in <c>conversations</c>). Freshdesk has
/// no single export endpoint for conversations; <c>{"tickets": [...]}</c> is accepted too, for exports written by scripts.
/// </summary>
internal static class FreshdeskExport
{
    public static IReadOnlyList<FreshdeskTicket> Load(string path)
    {
        using var stream = File.OpenRead(path);
        List<FreshdeskTicket>? tickets;
        try
        {
            using var doc = JsonDocument.Parse(stream);
            tickets = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Array => doc.RootElement.Deserialize(FreshdeskExportJsonContext.Default.ListFreshdeskTicket),
                JsonValueKind.Object when doc.RootElement.TryGetProperty("tickets", out var list) && list.ValueKind == JsonValueKind.Array =>
                    list.Deserialize(FreshdeskExportJsonContext.Default.ListFreshdeskTicket),
                _ => throw new InvalidDataException($"{path} is not a Freshdesk export: expected an array of tickets (or an object with \"tickets\")."),
            };
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a Freshdesk export: {Hosting.Excerpt.OfJsonError(ex)}", ex);
        }
        if (tickets is null || tickets.Count == 0)
            throw new InvalidDataException($"{path} holds no Freshdesk tickets.");
        if (tickets.IndexOf(null!) is >= 0 and var empty)
            throw new InvalidDataException($"{path} is not a Freshdesk export: ticket #{empty + 1} is null.");
        if (tickets.FirstOrDefault(t => t.Id <= 0) is { } bad)
            throw new InvalidDataException($"{path} is not a Freshdesk export: ticket #{tickets.IndexOf(bad) + 1} has no \"id\".");
        if (tickets.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidDataException($"{path} is not a Freshdesk export: duplicate ticket id {twice.Key}.");
        return tickets;
    }

    /// <summary>Each ticket's requester profile from the embedded <c>requester</c> and <c>company</c>, when the export has them.</summary>
    public static IReadOnlyDictionary<string, HelpdeskCustomer> Customers(this IReadOnlyList<FreshdeskTicket> tickets) =>
        tickets.ToDictionary(t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t => FreshdeskMapping.ToCustomer(t.Requester, t.Company));

    /// <summary>Each ticket with its whole conversation (description first), mapped as the live client maps it.</summary>
    public static IEnumerable<HelpdeskTicket> ToTickets(this IReadOnlyList<FreshdeskTicket> tickets) =>
        tickets.Select(t => FreshdeskMapping.ToTicket(t, (t.Conversations ?? []).Where(c => c is not null).ToList()));
}

[JsonSerializable(typeof(List<FreshdeskTicket>))]
internal sealed partial class FreshdeskExportJsonContext : JsonSerializerContext;
