using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>Freshdesk pages through <c>Link: &lt;https://acme.freshdesk.com/api/v2/...?page=2&gt;; rel="next"</c>.</summary>
internal static partial class LinkHeader
{
    /// <summary>
    /// The next page as a URL on <paramref name="baseAddress"/>: only the link's path and query are kept, so the
    /// API key is never sent to a host other than the configured one, whatever the header says.
    /// </summary>
    public static Uri? Next(HttpResponseMessage response, Uri baseAddress)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
            return null;
        foreach (var value in values)
        {
            foreach (Match match in NextLink().Matches(value))
            {
                if (!Uri.TryCreate(match.Groups["url"].Value.Trim(), UriKind.RelativeOrAbsolute, out var link))
                    continue;
                var pathAndQuery = link.IsAbsoluteUri ? link.PathAndQuery : link.OriginalString;
                return new Uri(new Uri(baseAddress.GetLeftPart(UriPartial.Authority)), pathAndQuery);
            }
        }
        return null;
    }

    [GeneratedRegex("""<(?<url>[^>]+)>\s*;\s*rel\s*=\s*"?next"?""", RegexOptions.IgnoreCase)]
    private static partial Regex NextLink();
}
