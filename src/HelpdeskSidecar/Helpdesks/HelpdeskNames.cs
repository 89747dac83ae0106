using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Helpdesks;

/// <summary>
/// Display names of agents and brands, kept from the tickets the sidecar loads (Zendesk users and brands, the replay
/// export's users), so reports can say who and which brand instead of an id. The helpdesk stays the source of truth:
/// the last name seen wins.
/// </summary>
internal sealed class HelpdeskNames(Database database, TimeProvider time)
{
    public const string Agent = "agent";
    public const string Brand = "brand";

    public async Task RememberAsync(HelpdeskTicket ticket, CancellationToken ct)
    {
        var rows = ticket.AgentNames.Select(a => (Kind: Agent, Id: a.Key, Name: a.Value)).ToList();
        if (ticket.BrandId is { } brand && ticket.BrandName is { Length: > 0 } brandName)
            rows.Add((Brand, brand, brandName));
        await RememberAsync(ticket.Provider, rows, ct);
    }

    /// <summary>Keeps names the helpdesk gave (from a ticket, or asked for by a report: <see cref="Reports.ReportNames"/>).</summary>
    public async Task RememberAsync(string helpdesk, IReadOnlyCollection<(string Kind, string Id, string Name)> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        await using var connection = await database.OpenAsync(ct);
        var now = time.GetUtcNow().ToString("O");
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO helpdesk_names (helpdesk, kind, id, name, updated_at) VALUES (@Helpdesk, @Kind, @Id, @Name, @Now)
            ON CONFLICT (helpdesk, kind, id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
            WHERE helpdesk_names.name <> excluded.name
            """,
            rows.Select(r => new { Helpdesk = helpdesk, r.Kind, r.Id, r.Name, Now = now }).ToList(), cancellationToken: ct));
    }

    /// <summary>"agent:5002" → "Priya Nair", "brand:360001" → "Parcelly", for <see cref="Reports.AcceptanceReport.Build"/>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LabelsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Kind, string Id, string Name)>(
            new CommandDefinition("SELECT kind, id, name FROM helpdesk_names ORDER BY updated_at", cancellationToken: ct));
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (kind, id, name) in rows)
            labels[$"{kind}:{id}"] = name;
        return labels;
    }
}
