using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace HelpdeskSidecar.Hosting;

/// <summary>
/// The detail of a 415 that routing answers on its own (an endpoint declares the content types it accepts and the request
/// sent another): which types the endpoint at that path takes. Routing's 415 endpoint carries no metadata, so the
/// endpoints are looked up again by path and method; a 415 is rare enough for that to cost nothing that matters.
/// </summary>
internal static class UnsupportedMediaType
{
    public static string Detail(HttpContext http)
    {
        var sent = string.IsNullOrEmpty(http.Request.ContentType) ? "no Content-Type" : $"Content-Type '{http.Request.ContentType}'";
        var accepted = AcceptedContentTypes(http);
        return accepted.Count == 0
            ? $"The body's {sent} is not accepted here."
            : $"Send the body as {string.Join(" or ", accepted)}; the request had {sent}.";
    }

    private static List<string> AcceptedContentTypes(HttpContext http)
    {
        var accepted = new List<string>();
        if (http.RequestServices.GetService<EndpointDataSource>() is not { } endpoints)
            return accepted;
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { ContentTypes.Count: > 0 } accepts)
                continue;
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods
                && !methods.HttpMethods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))
                continue;
            if (new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []).TryMatch(http.Request.Path, []))
                accepted.AddRange(accepts.ContentTypes);
        }
        return accepted.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
