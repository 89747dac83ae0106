namespace HelpdeskSidecar.Knowledge;

/// <param name="Skipped">Each skipped file as "relative/path (why)".</param>
internal sealed record ImportReport(int Added, int Updated, int Unchanged, IReadOnlyList<string> Skipped);

/// <summary>
/// <c>kb import &lt;folder|file&gt; [--tier] [--locale] [--brand] [--visibility]</c>: every Markdown, HTML and text file
/// under a folder (or the one file named) becomes an article. The options are defaults; a Markdown file's front
/// matter overrides them for that file. A file without an <c>updated</c> field gets its last-write time as the
/// source's updated time.
/// </summary>
/// <remarks>
/// An article's key (<c>external_id</c> of source <c>files</c>) is the file's real path: absolute, links resolved.
/// Keyed by the path relative to the imported folder, two folders' <c>faq.md</c> were one article and a file imported
/// through its parent folder was a second one; a real path names one file whichever folder it is imported through.
/// Articles stored under the old relative keys are taken over by the file they came from (see <see cref="AdoptLegacyKeyAsync"/>).
/// </remarks>
internal sealed partial class KnowledgeImporter(KnowledgeIndex index)
{
    public const string Source = "files";

    public async Task<ImportReport> ImportFolderAsync(string folder, IProgress<(int Done, int Total)>? progress, CancellationToken ct, ArticleMetadata? defaults = null)
    {
        var (files, skipped) = ListFiles(folder);
        var stored = await index.ListContentHashesAsync(Source, ct);
        var legacy = stored.Where(s => !Path.IsPathRooted(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        int added = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            switch (await ImportFileAsync(file, defaults, stored, legacy, ct))
            {
                case { Skip: { } why }: skipped.Add($"{file.Relative} ({why})"); break;
                case { Outcome: UpsertOutcome.Added }: added++; break;
                case { Outcome: UpsertOutcome.Updated }: updated++; break;
                case { Outcome: UpsertOutcome.Refused }: skipped.Add($"{file.Relative} (AI-written: it carries a sidecar note marker)"); break;
                default: unchanged++; break;
            }
            progress?.Report((i + 1, files.Count));
        }
        // New or changed articles shift the corpus statistics the offline embedder learns from.
        // Chunks indexed before vectors existed (schema step 1) get theirs on the next import too.
        if (added + updated > 0 || await index.HasChunksWithoutVectorsAsync(ct))
            await index.RefitEmbeddingsAsync(ct);
        return new ImportReport(added, updated, unchanged, skipped.Order(StringComparer.Ordinal).ToList());
    }

    private async Task<(UpsertOutcome Outcome, string? Skip)> ImportFileAsync(
        FoundFile file, ArticleMetadata? defaults, IReadOnlyDictionary<string, string> stored, Dictionary<string, string> legacy, CancellationToken ct)
    {
        var (content, unreadable) = ReadText(file.Path);
        if (content is null)
            return (default, unreadable);
        KnowledgeArticle article;
        try
        {
            var parsed = DocumentParser.Parse(Source, file.Key, file.Path, content);
            var fileDefaults = (defaults ?? new ArticleMetadata()) with { Updated = new DateTimeOffset(File.GetLastWriteTimeUtc(file.Path), TimeSpan.Zero) };
            // Front matter was applied by the parser; the defaults fill only what it left as the parser's own default.
            article = FromDefaults(fileDefaults, DocumentParser.FrontMatterOf(file.Path, content)).ApplyTo(parsed);
        }
        catch (FormatException ex)
        {
            return (default, ex.Message);
        }
        if (article.Sections.Count == 0)
            return (default, string.IsNullOrWhiteSpace(content) ? "no text" : "no text besides the title");
        if (!stored.ContainsKey(file.Key) && legacy.Count > 0)
            await AdoptLegacyKeyAsync(file, article.ContentHash, legacy, ct);
        return (await index.UpsertAsync(article, ct), null);
    }

    /// <summary>
    /// An article stored before keys were real paths is keyed by its path relative to the folder it was imported from,
    /// which is a tail of <paramref name="file"/>'s relative path ("refund-policy.md" for "A/refund-policy.md" when
    /// "A" was imported before its parent). It is re-keyed to this file, so that re-importing says "unchanged" instead of
    /// adding a duplicate, when its content is this file's or its key is exactly this file's relative path (the same
    /// folder imported again after an edit: the old scheme would have overwritten that key too). Any other old key is
    /// left alone: it may be another folder's file, which takes it over when that folder is imported.
    /// </summary>
    private async Task AdoptLegacyKeyAsync(FoundFile file, string contentHash, Dictionary<string, string> legacy, CancellationToken ct)
    {
        var parts = file.Relative.Split('/');
        for (var start = 0; start < parts.Length; start++)
        {
            var tail = string.Join('/', parts[start..]);
            if (legacy.TryGetValue(tail, out var hash) && (hash == contentHash || start == 0))
            {
                await index.RenameExternalIdAsync(Source, tail, file.Key, ct);
                legacy.Remove(tail);
                return;
            }
        }
    }

    /// <summary>The command's defaults with the file's own front matter over them.</summary>
    private static ArticleMetadata FromDefaults(ArticleMetadata defaults, ArticleMetadata frontMatter) => defaults.Overlay(frontMatter);
}
