using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// A fragment of HTML that is safe to emit. Built with <see cref="Html.Of"/> from an interpolated string, every hole is
/// HTML-encoded unless it is itself an <see cref="Html"/>: markup can only come from the literals in our code.
/// </summary>
internal readonly record struct Html(string Value)
{
    public static readonly Html Empty = new("");

    public static Html Of([InterpolatedStringHandlerArgument] HtmlHandler handler) => handler.ToHtml();

    /// <summary>Text encoded for an element's content or a quoted attribute value.</summary>
    public static Html Text(string? text) => new(WebUtility.HtmlEncode(text ?? ""));

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html Join<T>(IEnumerable<T> items, Func<T, Html> render) => Join(items.Select(render));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public override string ToString() => Value;
}

[InterpolatedStringHandler]
internal ref struct HtmlHandler
{
    private readonly StringBuilder _builder;

    public HtmlHandler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + formattedCount * 16);

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(Html html) => _builder.Append(html.Value);

    public readonly void AppendFormatted(string? text) => _builder.Append(WebUtility.HtmlEncode(text ?? ""));

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public readonly void AppendFormatted<T>(T value, string? format) => _builder.Append(value switch
    {
        null => "",
        Html h => h.Value,
        IFormattable f => WebUtility.HtmlEncode(f.ToString(format, CultureInfo.InvariantCulture)),
        _ => WebUtility.HtmlEncode(value.ToString() ?? ""),
    });

    public readonly Html ToHtml() => new(_builder.ToString());
}
