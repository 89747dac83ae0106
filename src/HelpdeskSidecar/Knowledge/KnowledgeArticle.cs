namespace HelpdeskSidecar.Knowledge;

/// <summary>An article as read from its source, split into sections under their headings.</summary>
internal sealed record KnowledgeArticle(string Source, string ExternalId, string Title, string? Url, IReadOnlyList<ArticleSection> Sections)
{
    public string ContentHash
    {
        get
        {
            var text = string.Join('\n', Sections.Select(s => s.HeadingPath + '\n' + s.Text)) + '\n' + Title + '\n' + Url;
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        }
    }
}

/// <summary>Text under one heading; <see cref="HeadingPath"/> is "Title › Section › Subsection".</summary>
internal sealed record ArticleSection(string HeadingPath, string Text);

/// <summary>A piece of an article small enough to retrieve and quote.</summary>
internal sealed record KnowledgeChunk(int Ordinal, string HeadingPath, string Text);
