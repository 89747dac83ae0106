using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HelpdeskSidecar.Access;

/// <summary>
/// Tells readers of <c>/openapi/v1.json</c> how to call <c>/api</c>: a bearer token (<c>tokens create</c>) on every
/// <c>/api</c> operation. The webhooks keep their own signatures and are not marked.
/// </summary>
internal sealed class AccessOpenApi : IOpenApiDocumentTransformer
{
    private const string Scheme = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = Scheme,
            Description = "An API token from `tokens create --role <role>`; the role decides what the token may do.",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/", StringComparison.Ordinal) || item.Operations is null)
                continue;
            foreach (var operation in item.Operations.Values)
                (operation.Security ??= []).Add(requirement);
        }

        return Task.CompletedTask;
    }
}
