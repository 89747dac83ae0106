namespace HelpdeskSidecar.Storage;

/// <summary>
/// The few pieces of SQL that differ between SQLite and PostgreSQL. Everything else is written once, in the subset both
/// speak: <c>ON CONFLICT … DO NOTHING / DO UPDATE SET x = excluded.x</c>, <c>RETURNING</c>, <c>LIMIT</c>, Dapper's
/// <c>@name</c> parameters, times as ISO 8601 text (UTC, so text order is time order), <c>CASE WHEN</c> instead of
/// summing booleans.
/// </summary>
internal sealed class SqlDialect(StorageProvider provider)
{
    public bool IsPostgres => provider == StorageProvider.Postgres;

    /// <summary>The text at a dotted path inside a JSON text column (<c>"understanding.intent.label"</c>), or NULL.</summary>
    public string JsonText(string column, string path) => IsPostgres
        ? $"({column}::jsonb #>> '{{{path.Replace('.', ',')}}}')"
        : $"json_extract({column}, '$.{path}')";

    /// <summary>A JSON number as a double, or NULL.</summary>
    public string JsonReal(string column, string path) =>
        $"CAST({JsonText(column, path)} AS {(IsPostgres ? "DOUBLE PRECISION" : "REAL")})";

    /// <summary>A JSON integer as a 64-bit integer, or NULL.</summary>
    public string JsonInteger(string column, string path) => IsPostgres
        ? $"CAST(CAST({JsonText(column, path)} AS NUMERIC) AS BIGINT)"
        : $"CAST({JsonText(column, path)} AS INTEGER)";

    /// <summary>
    /// <c>column IN @list</c>: Dapper expands the list into parameters on SQLite, and passes it as one array parameter to
    /// Npgsql, which PostgreSQL compares with <c>= ANY</c>. Pass an array.
    /// </summary>
    public string In(string column, string listParameter) => IsPostgres ? $"{column} = ANY({listParameter})" : $"{column} IN {listParameter}";

    /// <summary><c>column NOT IN @list</c>, as <see cref="In"/>.</summary>
    public string NotIn(string column, string listParameter) => IsPostgres ? $"{column} <> ALL({listParameter})" : $"{column} NOT IN {listParameter}";
}
