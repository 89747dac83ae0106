using System.Globalization;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// <c>GET /api/knowledge/articles?q=&amp;sort=&amp;cursor=&amp;limit=</c> and <c>GET /api/knowledge/articles/{id}</c>:
/// the articles with their chunk counts and how often drafts cited them and agents accepted those drafts (Oversight roles).
/// </summary>
internal static class KnowledgeEndpoints
{
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/knowledge").WithTags("Knowledge").RequireAuthorization(AccessPolicies.Oversight);
        api.MapGet("/articles", ListAsync).WithName("ListKnowledgeArticles");
        api.MapGet("/articles/{id}", GetAsync).WithName("GetKnowledgeArticle");
        return app;
    }

    /// <summary>The <c>sort</c> names the API and the console accept.</summary>
    public static bool TryParseSort(string? value, out ArticleSort sort)
    {
        sort = ArticleSort.Title;
        if (string.IsNullOrEmpty(value))
            return true;
        return Enum.TryParse(value, ignoreCase: true, out sort) && Enum.IsDefined(sort) && !int.TryParse(value, out _);
    }

    private static ProblemHttpResult Bad(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");

    private static async Task<Results<JsonHttpResult<ArticlePage>, ProblemHttpResult>> ListAsync(
        ArticleCatalog catalog, string? q, string? sort, string? cursor, string? limit, CancellationToken ct)
    {
        if (!TryParseSort(sort, out var order))
            return Bad("'sort' must be one of title, updated, chunks, cited, accepted.");
        var take = 50;
        if (limit is not null && !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take))
            return Bad($"'limit' must be a whole number between 1 and {ArticleQuery.MaxLimit}.");
        try
        {
            var page = await catalog.ListAsync(new ArticleQuery(q, order, cursor, take), ct);
            return TypedResults.Json(page, KnowledgeJsonContext.Default.ArticlePage);
        }
        catch (ArticleQueryException e)
        {
            return Bad(e.Message);
        }
    }

    private static async Task<Results<JsonHttpResult<ArticleDetail>, ProblemHttpResult>> GetAsync(ArticleCatalog catalog, string id, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var articleId))
            return Bad($"'{id}' is not an article id (a whole number).");
        if (await catalog.GetAsync(articleId, ct) is not { } detail)
            return TypedResults.Problem(detail: $"There is no article {articleId}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        return TypedResults.Json(detail, KnowledgeJsonContext.Default.ArticleDetail);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ArticlePage))]
[JsonSerializable(typeof(ArticleDetail))]
internal sealed partial class KnowledgeJsonContext : JsonSerializerContext;
