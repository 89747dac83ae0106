namespace HelpdeskSidecar.Knowledge;

internal sealed record ImportReport(int Added, int Updated, int Unchanged, IReadOnlyList<string> Skipped);

/// <summary>
/// <c>kb import &lt;folder&gt; [--tier] [--locale] [--brand] [--visibility]</c>: every Markdown, HTML and text file
/// under a folder becomes an article. The options are defaults; a Markdown file's front matter overrides them for
/// that file. A file without an <c>updated</c> field gets its last-write time as the source's updated time.
/// </summary>
internal sealed class KnowledgeImporter(KnowledgeIndex index)
{
    public async Task<ImportReport> ImportFolderAsync(string folder, IProgress<(int Done, int Total)>? progress, CancellationToken ct, ArticleMetadata? defaults = null)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => DocumentParser.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        int added = 0, updated = 0, unchanged = 0;
        var skipped = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var content = await File.ReadAllTextAsync(file, ct);
            KnowledgeArticle article;
            try
            {
                var parsed = DocumentParser.Parse("files", relative, file, content);
                var fileDefaults = (defaults ?? new ArticleMetadata()) with { Updated = new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero) };
                // Front matter was applied by the parser; the defaults fill only what it left as the parser's own default.
                article = FromDefaults(fileDefaults, DocumentParser.FrontMatterOf(file, content)).ApplyTo(parsed);
            }
            catch (FormatException ex)
            {
                skipped.Add($"{relative} ({ex.Message})");
                progress?.Report((i + 1, files.Count));
                continue;
            }
            if (article.Sections.Count == 0)
            {
                skipped.Add(relative);
                progress?.Report((i + 1, files.Count));
                continue;
            }
            switch (await index.UpsertAsync(article, ct))
            {
                case UpsertOutcome.Added: added++; break;
                case UpsertOutcome.Updated: updated++; break;
                case UpsertOutcome.Refused: skipped.Add($"{relative} (AI-written: it carries a sidecar note marker)"); break;
                default: unchanged++; break;
            }
            progress?.Report((i + 1, files.Count));
        }
        // New or changed articles shift the corpus statistics the offline embedder learns from.
        // Chunks indexed before vectors existed (schema step 1) get theirs on the next import too.
        if (added + updated > 0 || await index.HasChunksWithoutVectorsAsync(ct))
            await index.RefitEmbeddingsAsync(ct);
        return new ImportReport(added, updated, unchanged, skipped);
    }

    /// <summary>The command's defaults with the file's own front matter over them.</summary>
    private static ArticleMetadata FromDefaults(ArticleMetadata defaults, ArticleMetadata frontMatter) => defaults.Overlay(frontMatter);
}
