using Dapper;

namespace HelpdeskSidecar.Knowledge;

internal sealed partial class KnowledgeIndex
{
    /// <summary>The external ids of every article indexed from <paramref name="source"/>, to tell which ones a sync no longer saw.</summary>
    public async Task<IReadOnlySet<string>> ListExternalIdsAsync(string source, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(
            new CommandDefinition("SELECT external_id FROM articles WHERE source = @source", new { source }, cancellationToken: ct));
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Removes an article with its chunks, their full-text rows and vectors. Returns false when it was not indexed.</summary>
    public async Task<bool> DeleteAsync(string source, string externalId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var articleId = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT id FROM articles WHERE source = @source AND external_id = @externalId", new { source, externalId }, tx);
        if (articleId is null)
            return false;
        await connection.ExecuteAsync("DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE article_id = @articleId)", new { articleId }, tx);
        await connection.ExecuteAsync("DELETE FROM chunks WHERE article_id = @articleId", new { articleId }, tx);
        await connection.ExecuteAsync("DELETE FROM articles WHERE id = @articleId", new { articleId }, tx);
        await tx.CommitAsync(ct);
        InvalidateSearch();
        // With Index=Qdrant its points go too (a no-op on the embedded index); SQLite stays the source of truth.
        await RemoveExternalAsync(articleId.Value, ct);
        return true;
    }
    /// <summary>Every article of <paramref name="source"/>: external id → content hash.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ListContentHashesAsync(string source, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string ExternalId, string Hash)>(
            new CommandDefinition("SELECT external_id, content_hash FROM articles WHERE source = @source", new { source }, cancellationToken: ct));
        return rows.ToDictionary(r => r.ExternalId, r => r.Hash, StringComparer.Ordinal);
    }

    /// <summary>
    /// Gives an article a new external id, chunks and vectors untouched (they hang off the article's row id). Returns
    /// false when there is no article <paramref name="from"/> or one is already called <paramref name="to"/>.
    /// </summary>
    public async Task<bool> RenameExternalIdAsync(string source, string from, string to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var renamed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE articles SET external_id = @to
            WHERE source = @source AND external_id = @from
              AND NOT EXISTS (SELECT 1 FROM articles WHERE source = @source AND external_id = @to)
            """,
            new { source, from, to }, cancellationToken: ct));
        return renamed == 1;
    }
}
