using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;
using Markdig.Syntax;

namespace HelpdeskSidecar.Knowledge;

/// <summary>Reads Markdown, HTML and plain-text files into titled, sectioned articles.</summary>
internal static partial class DocumentParser
{
    public static readonly string[] Extensions = [".md", ".markdown", ".html", ".htm", ".txt"];

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    /// <summary>
    /// Reads one file. Markdown may start with front matter (see <see cref="FrontMatter"/>): its fields are applied
    /// over the article's own (a <c>title</c> there wins over the first heading).
    /// </summary>
    /// <exception cref="FormatException">The front matter has a value that is not allowed.</exception>
    public static KnowledgeArticle Parse(string source, string externalId, string fileName, string content)
    {
        var metadata = new ArticleMetadata();
        if (System.IO.Path.GetExtension(fileName).ToLowerInvariant() is ".md" or ".markdown")
            (metadata, content) = FrontMatter.Split(content);
        return metadata.ApplyTo(ParseBody(source, externalId, fileName, content));
    }

    /// <summary>The front matter of a Markdown file (empty metadata for other files or when there is none).</summary>
    public static ArticleMetadata FrontMatterOf(string fileName, string content) =>
        System.IO.Path.GetExtension(fileName).ToLowerInvariant() is ".md" or ".markdown" ? FrontMatter.Split(content).Metadata : new ArticleMetadata();

    private static KnowledgeArticle ParseBody(string source, string externalId, string fileName, string content)
    {
        var fallbackTitle = System.IO.Path.GetFileNameWithoutExtension(fileName).Replace('-', ' ').Replace('_', ' ');
        var extension = System.IO.Path.GetExtension(fileName).ToLowerInvariant();
        var (title, sections, url) = extension switch
        {
            ".md" or ".markdown" => ParseMarkdown(content, fallbackTitle),
            ".html" or ".htm" => ParseHtml(content, fallbackTitle),
            _ => ParseText(content, fallbackTitle),
        };
        return new KnowledgeArticle(source, externalId, title, url, sections.Where(s => !string.IsNullOrWhiteSpace(s.Text)).ToList());
    }

    private static (string, List<ArticleSection>, string?) ParseMarkdown(string markdown, string fallbackTitle)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        string? title = null;
        var headings = new List<(int Level, string Text)>();
        var sections = new List<ArticleSection>();
        var current = new List<string>();

        void Flush()
        {
            if (current.Count > 0)
                sections.Add(new ArticleSection(HeadingPath(title ?? fallbackTitle, headings), string.Join("\n\n", current)));
            current.Clear();
        }

        foreach (var block in document)
        {
            var raw = markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start));
            if (block is HeadingBlock heading)
            {
                // ATX ("## Title ##") or setext ("Title\n====="): the text is on the first line either way.
                var text = CleanInline(raw.Split('\n')[0].Trim().Trim('#').Trim());
                if (title is null && sections.Count == 0 && current.Count == 0)
                {
                    title = text;
                    continue;
                }
                Flush();
                headings.RemoveAll(h => h.Level >= heading.Level);
                headings.Add((heading.Level, text));
                continue;
            }
            var cleaned = CleanInline(raw).Trim();
            if (cleaned.Length > 0)
                current.Add(cleaned);
        }
        Flush();
        return (title ?? fallbackTitle, sections, null);
    }

    private static (string, List<ArticleSection>, string?) ParseHtml(string html, string fallbackTitle)
    {
        var document = new HtmlParser().ParseDocument(html);
        var h1 = document.QuerySelector("h1");
        var title = Normalize(h1?.TextContent) ?? Normalize(document.Title) ?? fallbackTitle;
        var headings = new List<(int Level, string Text)>();
        var sections = new List<ArticleSection>();
        var current = new List<string>();

        void Flush()
        {
            if (current.Count > 0)
                sections.Add(new ArticleSection(HeadingPath(title, headings), string.Join("\n\n", current)));
            current.Clear();
        }

        var root = (IElement?)document.Body ?? document.DocumentElement;
        foreach (var element in root.QuerySelectorAll("h1,h2,h3,h4,h5,h6,p,li,tr,pre,blockquote"))
        {
            if (element == h1)
                continue;
            if (element.LocalName is ['h', var digit] && char.IsDigit(digit))
            {
                Flush();
                var level = digit - '0';
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, Normalize(element.TextContent) ?? ""));
                continue;
            }
            // Nested blocks (a <p> inside an <li>) are read once, through the outer one.
            if (element.ParentElement?.Closest("p,li,tr,pre,blockquote") is not null)
                continue;
            var text = element.LocalName == "tr"
                ? string.Join(" | ", element.Children.Select(c => Normalize(c.TextContent)))
                : Normalize(element.TextContent);
            if (!string.IsNullOrEmpty(text))
                current.Add(element.LocalName == "li" ? "- " + text : text);
        }
        Flush();
        // Only an absolute http(s) canonical address becomes the article's link; a relative or javascript: one is dropped.
        var url = ArticleMetadata.TryHttpUrl(document.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        return (title, sections, url);
    }

    private static (string, List<ArticleSection>, string?) ParseText(string text, string fallbackTitle)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var firstLine = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        var title = firstLine is { Length: <= 120 } ? firstLine : fallbackTitle;
        var body = title == firstLine ? string.Join('\n', lines.SkipWhile(l => l.Trim() != firstLine).Skip(1)) : text;
        var paragraphs = ParagraphBreak().Split(body).Select(p => p.Trim()).Where(p => p.Length > 0);
        return (title, [new ArticleSection(title, string.Join("\n\n", paragraphs))], null);
    }

    private static string HeadingPath(string title, List<(int Level, string Text)> headings) =>
        string.Join(" › ", headings.Select(h => h.Text).Prepend(title));

    /// <summary>Inline Markdown to readable text: links keep their words, emphasis and code marks go.</summary>
    internal static string CleanInline(string markdown)
    {
        var text = MarkdownLink().Replace(markdown, "$1");
        text = Emphasis().Replace(text, "");
        return text;
    }

    private static string? Normalize(string? text)
    {
        if (text is null)
            return null;
        var collapsed = Whitespace().Replace(text, " ").Trim();
        return collapsed.Length == 0 ? null : collapsed;
    }

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(\*\*|__|`)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex ParagraphBreak();
}
