using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Evaluation;

/// <summary>
/// The documents of an evaluation in a real <see cref="KnowledgeIndex"/> on its own SQLite file: a fresh temporary one
/// (deleted on dispose), or a kept directory, where a second run finds every unchanged document (and its vectors) in place.
/// </summary>
internal sealed class EvalIndex : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly bool _temporary;

    private EvalIndex(string dataDir, bool temporary, KnowledgeIndex index, IReadOnlyDictionary<long, string> docOfArticle, long chunks)
    {
        _dataDir = dataDir;
        _temporary = temporary;
        Index = index;
        DocOfArticle = docOfArticle;
        Chunks = chunks;
    }

    public KnowledgeIndex Index { get; }

    /// <summary>doc_id of each article id.</summary>
    public IReadOnlyDictionary<long, string> DocOfArticle { get; }

    public long Chunks { get; }

    public static async Task<EvalIndex> BuildAsync(IReadOnlyList<EvalDocument> documents, IEmbeddingGenerator<string, Embedding<float>> embedder,
        TimeProvider time, string? keptDataDir, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var temporary = keptDataDir is null;
        var dataDir = keptDataDir ?? Path.Combine(Path.GetTempPath(), "sidecar-eval", Guid.NewGuid().ToString("N"));
        try
        {
            var database = new Database(Options.Create(new SidecarOptions { DataDir = dataDir }));
            var index = new KnowledgeIndex(database, time, embedder);
            for (var i = 0; i < documents.Count; i++)
            {
                var document = documents[i];
                var title = string.IsNullOrWhiteSpace(document.Title) ? document.DocId : document.Title;
                await index.UpsertAsync(new KnowledgeArticle("eval", document.DocId, title, null, [new ArticleSection(title, document.Text)]), ct);
                progress?.Report((i + 1, documents.Count));
            }
            var chunks = await index.RefitEmbeddingsAsync(ct);
            Dictionary<long, string> docOfArticle;
            await using (var connection = await database.OpenAsync(ct))
                docOfArticle = (await connection.QueryAsync<(long Id, string ExternalId)>("SELECT id, external_id FROM articles")).ToDictionary(r => r.Id, r => r.ExternalId);
            return new EvalIndex(dataDir, temporary, index, docOfArticle, chunks);
        }
        catch
        {
            Delete(dataDir, temporary);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Delete(_dataDir, _temporary);
        return ValueTask.CompletedTask;
    }

    private static void Delete(string dataDir, bool temporary)
    {
        SqliteConnection.ClearAllPools();
        if (!temporary)
            return;
        try { Directory.Delete(dataDir, recursive: true); }
        catch (IOException) { /* best effort: the OS temp cleaner takes it */ }
    }
}
