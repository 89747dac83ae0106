using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>Freshdesk pages through <c>Link: &lt;https://acme.freshdesk.com/api/v2/...?per_page=100&amp;page=2&gt;; rel="next"</c>.</summary>
internal static partial class LinkHeader
{
    /// <summary>A page of a list: <c>per_page</c> and <c>page</c> (null for the first page, which is asked without it,
    /// and for a next link that names no page number).</summary>
    internal sealed record Page(int PerPage, int? Number);

    /// <summary>
    /// The next page the header names, or null on the last page. Only its <c>page</c> and <c>per_page</c> are taken:
    /// the next request goes to the same list on the configured host, so the API key never follows a link elsewhere,
    /// whatever host or path the header names.
    /// </summary>
    public static Page? Next(HttpResponseHeaders? headers)
    {
        if (headers is null || !headers.TryGetValues("Link", out var values))
            return null;
        foreach (var value in values)
        {
            foreach (Match match in NextLink().Matches(value))
            {
                var link = match.Groups["url"].Value.Trim();
                var query = QueryHelpers.ParseQuery(link.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? link[at..] : "");
                return new Page(
                    TryNumber(query, "per_page", out var perPage) ? perPage : FreshdeskClient.PageSize,
                    TryNumber(query, "page", out var page) ? page : null);
            }
        }
        return null;
    }

    private static bool TryNumber(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string key, out int number)
    {
        number = 0;
        return query.TryGetValue(key, out var value)
            && int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    [GeneratedRegex("""<(?<url>[^>]+)>\s*;\s*rel\s*=\s*"?next"?""", RegexOptions.IgnoreCase)]
    private static partial Regex NextLink();
}
