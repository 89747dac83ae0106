using System.Globalization;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Metadata for an imported file, from <c>kb import</c>'s options and, per file, from Markdown front matter
/// (<c>---</c> lines around <c>key: value</c> pairs at the very top). Front matter wins over the command's defaults.
/// Keys: <c>title</c>, <c>tier</c> (faq, article, past_ticket, internal), <c>locale</c>, <c>brand</c>,
/// <c>visibility</c> (public, agents), <c>url</c> (http or https only), <c>updated</c> (ISO 8601). Unknown keys are ignored.
/// </summary>
internal sealed partial record ArticleMetadata
{
    public string? Title { get; init; }

    public KnowledgeTier? Tier { get; init; }

    public string? Locale { get; init; }

    public string? Brand { get; init; }

    public KnowledgeVisibility? Visibility { get; init; }

    public string? Url { get; init; }

    public DateTimeOffset? Updated { get; init; }

    /// <summary>This metadata with every field <paramref name="over"/> sets taken from it.</summary>
    public ArticleMetadata Overlay(ArticleMetadata over) => new()
    {
        Title = over.Title ?? Title,
        Tier = over.Tier ?? Tier,
        Locale = over.Locale ?? Locale,
        Brand = over.Brand ?? Brand,
        Visibility = over.Visibility ?? Visibility,
        Url = over.Url ?? Url,
        Updated = over.Updated ?? Updated,
    };

    /// <summary>The article with these fields applied (those left null keep the article's own).</summary>
    public KnowledgeArticle ApplyTo(KnowledgeArticle article) => article with
    {
        Title = Title ?? article.Title,
        Tier = Tier ?? article.Tier,
        Locale = Locale ?? article.Locale,
        Brand = Brand ?? article.Brand,
        Visibility = Visibility ?? article.Visibility,
        Url = Url ?? article.Url,
        SourceUpdatedAt = Updated ?? article.SourceUpdatedAt,
    };

    public static KnowledgeTier ParseTier(string value) => value.Trim().ToLowerInvariant() switch
    {
        "faq" => KnowledgeTier.Faq,
        "article" => KnowledgeTier.Article,
        "past_ticket" or "past-ticket" => KnowledgeTier.PastTicket,
        "internal" => KnowledgeTier.Internal,
        _ => throw new FormatException($"tier '{value}' is not one of faq, article, past_ticket, internal"),
    };

    public static KnowledgeVisibility ParseVisibility(string value) => value.Trim().ToLowerInvariant() switch
    {
        "public" => KnowledgeVisibility.Public,
        "agents" or "agents_only" or "internal" => KnowledgeVisibility.Agents,
        _ => throw new FormatException($"visibility '{value}' is not public or agents"),
    };

    /// <summary>
    /// An absolute http(s) address: the URL is shown to agents as a link and quoted in notes, so a
    /// <c>javascript:</c> or <c>data:</c> address (or a relative one) is refused, not stored.
    /// </summary>
    public static string ParseUrl(string value) =>
        TryHttpUrl(value) ?? throw new FormatException($"url '{value}' is not an http(s) address (e.g. https://help.example.com/returns)");

    /// <summary>The value when it is an absolute http or https address, else <c>null</c>.</summary>
    public static string? TryHttpUrl(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? value!.Trim() : null;

    /// <summary>A BCP 47 tag by its shape (language, then subtags): the host may run without ICU culture data, so no lookup.</summary>
    public static string ParseLocale(string value)
    {
        var locale = value.Trim();
        return LocaleTag().IsMatch(locale) ? locale : throw new FormatException($"locale '{value}' is not a BCP 47 tag (e.g. en, de-CH)");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial System.Text.RegularExpressions.Regex LocaleTag();
}

internal static class FrontMatter
{
    /// <summary>Splits leading front matter from the body; no front matter gives empty metadata and the content unchanged.</summary>
    /// <exception cref="FormatException">A field has a value that is not allowed (the message names it).</exception>
    public static (ArticleMetadata Metadata, string Body) Split(string content)
    {
        var text = content.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
            return (new ArticleMetadata(), content);
        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0 || (end + 4 < text.Length && text[end + 4] != '\n'))
            return (new ArticleMetadata(), content);
        var metadata = new ArticleMetadata();
        foreach (var line in text[4..end].Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.TrimStart().StartsWith('#'))
                continue;
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim().Trim('"', '\'');
            if (value.Length == 0)
                continue;
            metadata = key switch
            {
                "title" => metadata with { Title = value },
                "tier" => metadata with { Tier = ArticleMetadata.ParseTier(value) },
                "locale" or "lang" or "language" => metadata with { Locale = ArticleMetadata.ParseLocale(value) },
                "brand" => metadata with { Brand = value },
                "visibility" => metadata with { Visibility = ArticleMetadata.ParseVisibility(value) },
                "url" => metadata with { Url = ArticleMetadata.ParseUrl(value) },
                "updated" or "updated_at" => metadata with
                {
                    Updated = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated)
                        ? updated.ToUniversalTime()
                        : throw new FormatException($"updated '{value}' is not a date (ISO 8601, e.g. 2026-11-22 or 2026-11-22T09:30:00Z)"),
                },
                _ => metadata,
            };
        }
        var bodyStart = Math.Min(text.Length, end + 4);
        return (metadata, text[bodyStart..].TrimStart('\n'));
    }
}
