namespace HelpdeskSidecar.Knowledge;

/// <summary>An article as read from its source, split into sections under their headings.</summary>
internal sealed record KnowledgeArticle(string Source, string ExternalId, string Title, string? Url, IReadOnlyList<ArticleSection> Sections)
{
    /// <summary>Which slice of knowledge this is; the policy decides which tiers a ticket may draw on.</summary>
    public KnowledgeTier Tier { get; init; } = KnowledgeTier.Article;

    /// <summary>BCP 47 tag ("en", "de-CH"); a query falls back from "de-CH" to "de" to the default locale.</summary>
    public string Locale { get; init; } = "en";

    /// <summary>The brand the article belongs to; <c>null</c> serves every brand.</summary>
    public string? Brand { get; init; }

    public KnowledgeVisibility Visibility { get; init; } = KnowledgeVisibility.Public;

    /// <summary>When the source last changed the article (not when we indexed it); <c>null</c> when the source does not say.</summary>
    public DateTimeOffset? SourceUpdatedAt { get; init; }

    public string ContentHash
    {
        get
        {
            var text = string.Join('\n', Sections.Select(s => s.HeadingPath + '\n' + s.Text)) + '\n' + Title + '\n' + Url
                + '\n' + Tier + '\n' + Locale + '\n' + Brand + '\n' + Visibility;
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        }
    }
}

/// <summary>Text under one heading; <see cref="HeadingPath"/> is "Title › Section › Subsection".</summary>
internal sealed record ArticleSection(string HeadingPath, string Text);

/// <summary>A piece of an article small enough to retrieve and quote.</summary>
internal sealed record KnowledgeChunk(int Ordinal, string HeadingPath, string Text);

/// <summary>Knowledge tiers, from the most to the least curated.</summary>
internal enum KnowledgeTier
{
    Faq,
    Article,
    PastTicket,
    Internal,
}

/// <summary>Who may see a chunk: everyone (it may be quoted to a customer), or agents only.</summary>
internal enum KnowledgeVisibility
{
    Public,
    Agents,
}
