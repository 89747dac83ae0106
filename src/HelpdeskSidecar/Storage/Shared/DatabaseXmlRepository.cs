using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace HelpdeskSidecar.Storage.Shared;

/// <summary>
/// The ASP.NET data-protection key ring in the database (<c>data_protection_keys</c>), so that every replica on
/// PostgreSQL signs and reads the same cookies and antiforgery tokens: a user signed in on one replica is signed in on
/// all. Used only with <c>Sidecar:Storage:Provider=Postgres</c>; on SQLite the keys stay in <c>{DataDir}/keys</c>.
/// The framework caches the ring and calls this rarely (at start, when a key is made, when the ring expires), and
/// synchronously, hence the blocking waits.
/// </summary>
internal sealed class DatabaseXmlRepository(Database database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name");
        return rows.Select(XElement.Parse).ToList();
    }).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow().ToString("O") });
    }).GetAwaiter().GetResult();
}
