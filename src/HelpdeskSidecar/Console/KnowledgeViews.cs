using System.Globalization;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.WebConsole;

/// <summary>Pieces the knowledge pages share: their sub-navigation, how an article's origin and dates read, safe source links.</summary>
internal static class KnowledgeViews
{
    private static readonly (string Key, string Label, string Href)[] Sections =
    [
        ("overview", "Sources and sync", "/console/knowledge"),
        ("articles", "Articles", "/console/knowledge/articles"),
        ("try", "Try a question", "/console/knowledge/try"),
    ];

    public static Html SubNav(string current) => Html.Of($"""
        <nav class="subnav" id="knowledge-nav" aria-label="Knowledge">{Html.Join(Sections, s => Html.Of(
            $"""<a id="knowledge-nav-{s.Key}" href="{s.Href}"{Html.When(s.Key == current, new Html(" aria-current=\"page\""))}>{s.Label}</a>"""))}</nav>
        """);

    public static string OriginLabel(string origin) => origin switch
    {
        "help_center" => "Help center",
        "solved_tickets" => "Solved tickets",
        _ => "Docs",
    };

    /// <summary>"Help center · zendesk": the kind of knowledge, then the source it was synced or imported from.</summary>
    public static Html Origin(ArticleSummary a) => Html.Of($"""<span class="origin origin-{a.Origin}">{OriginLabel(a.Origin)}</span> <span class="muted">· {a.Source}</span>""");

    /// <summary>The time the source last changed the article, or (when the source does not say) when it was indexed.</summary>
    public static string Updated(ArticleSummary a) => Day(a.SourceUpdatedAt ?? a.IndexedAt);

    public static string Day(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : iso ?? "—";

    /// <summary>A link only for http(s) URLs: an article's URL comes from its source and must not become a <c>javascript:</c> link.</summary>
    public static Html SourceLink(string? url, Html text, string id = "") =>
        url is { } u && Uri.TryCreate(u, UriKind.Absolute, out var link) && link.Scheme is "http" or "https"
            ? Html.Of($"""<a href="{u}" rel="noreferrer"{(id.Length > 0 ? Html.Of($" id=\"{id}\"") : Html.Empty)}>{text}</a>""")
            : text;

    /// <summary>The start of a passage on one line (whitespace folded), cut at a word with an ellipsis.</summary>
    public static string Excerpt(string text, int max)
    {
        var folded = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (folded.Length <= max)
            return folded;
        var cut = folded.LastIndexOf(' ', max);
        return folded[..(cut > max / 2 ? cut : max)] + "…";
    }

    public static string Rate(long part, long whole) => whole == 0 ? "—" : ((double)part / whole).ToString("P0", CultureInfo.InvariantCulture);

    public static string Number(double? value, string format = "0.000") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
}
