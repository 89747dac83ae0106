using Dapper;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Several replicas on PostgreSQL: each keeps its own in-memory snapshot (Embedded/EmbeddedSearchIndex.cs), and the
/// database is the truth they all follow. Every write to <c>articles</c>, <c>chunks</c> or <c>embedding_models</c>, by
/// any replica or the CLI, bumps <c>knowledge_version</c> (a trigger, PostgresMigrations step 15); a query that finds a
/// version it has not seen rebuilds its snapshot (and reloads the corpus-fitted embedder's weights) before it answers.
/// One SQLite process writes everything itself, so <see cref="InvalidateSearch"/> is the whole story there.
/// </summary>
internal sealed partial class KnowledgeIndex
{
    private long _seenDatabaseVersion = -1;

    private async Task FollowDatabaseAsync(CancellationToken ct)
    {
        if (!database.IsPostgres)
            return;
        await using var connection = await database.OpenAsync(ct);
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT version FROM knowledge_version WHERE id = 1", cancellationToken: ct));
        if (Interlocked.Exchange(ref _seenDatabaseVersion, version) == version)
            return;
        _embedderStateLoaded = false;
        InvalidateSearch();
    }
}
