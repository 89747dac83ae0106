using System.Security.Claims;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Access;
using FluentValidation;
using HelpdeskSidecar.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Suggestions.Tagging;

/// <summary>The body of <c>PUT /api/tagging/tags/{tag}</c> and <c>PUT /api/tagging/intents/{intent}</c>.</summary>
internal sealed record TagRuleRequest(string? Mode, double? Threshold);

internal sealed class TagRuleRequestValidator : AbstractValidator<TagRuleRequest>
{
    public TagRuleRequestValidator()
    {
        RuleFor(r => r.Mode).NotEmpty().Must(m => TagModes.TryParse(m, out _))
            .WithName("mode").WithMessage("'mode' must be one of off, suggest, auto.");
        RuleFor(r => r.Threshold).NotNull().InclusiveBetween(0.0, 1.0)
            .WithName("threshold").WithMessage("'threshold' must be a number from 0.0 to 1.0.");
    }
}

internal sealed record TaggingDefaults(string Mode, double Threshold, string IntentMode);

internal sealed record TaggingView(TaggingDefaults Defaults, IReadOnlyList<TagRule> Tags, IReadOnlyList<TagRule> Intents);

internal sealed record TaggingAuditList(IReadOnlyList<TaggingAuditEntry> Items);

/// <summary>Ops leads choose, per tag and per intent, whether a prediction is ignored, suggested or applied.</summary>
internal static class TaggingEndpoints
{
    public static IEndpointRouteBuilder MapTaggingEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tagging").WithTags("Tagging").RequireAuthorization(Access.AccessPolicies.Oversight);
        api.MapGet("/", GetAsync).WithName("GetTaggingRules");
        api.MapPut("/tags/{tag}", (string tag, TagRuleRequest body, TaggingStore store, ClaimsPrincipal user, CancellationToken ct) => SetAsync(TagScopes.Tag, tag, body, store, user.ActorName(), ct))
            .RequireAuthorization(Access.AccessPolicies.Operations).AddEndpointFilter<ValidationFilter<TagRuleRequest>>().WithName("SetTagRule");
        api.MapPut("/intents/{intent}", (string intent, TagRuleRequest body, TaggingStore store, ClaimsPrincipal user, CancellationToken ct) => SetAsync(TagScopes.Intent, intent, body, store, user.ActorName(), ct))
            .RequireAuthorization(Access.AccessPolicies.Operations).AddEndpointFilter<ValidationFilter<TagRuleRequest>>().WithName("SetIntentRule");
        api.MapGet("/audit", AuditAsync).WithName("GetTaggingAudit");
        return app;
    }

    private static async Task<JsonHttpResult<TaggingView>> GetAsync(TaggingStore store, IOptions<SidecarOptions> options, CancellationToken ct)
    {
        var rules = await store.ListAsync(ct);
        var d = options.Value.Tagging;
        var defaults = new TaggingDefaults(d.DefaultMode.ToLowerInvariant(), d.DefaultThreshold, TagModes.Name(TagMode.Off));
        return TypedResults.Json(new TaggingView(defaults,
            rules.Where(r => r.Scope == TagScopes.Tag).ToList(), rules.Where(r => r.Scope == TagScopes.Intent).ToList()),
            TaggingJsonContext.Default.TaggingView);
    }

    private static async Task<Results<JsonHttpResult<TaggingAuditEntry>, ProblemHttpResult>> SetAsync(
        string scope, string name, TagRuleRequest body, TaggingStore store, string who, CancellationToken ct)
    {
        var label = name.Trim();
        if (label.Length is 0 or > 80 || label.Any(char.IsWhiteSpace))
            return TypedResults.Problem(detail: $"The {scope} name must be 1 to 80 characters without spaces.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid name");
        TagModes.TryParse(body.Mode, out var mode);
        // A PUT of what is already there writes no audit entry; it answers the change that made the rule what it is.
        var entry = await store.SetAsync(scope, label, new TagRuleState(TagModes.Name(mode), body.Threshold!.Value), who, ct)
            ?? await store.LastChangeAsync(scope, label, ct);
        return TypedResults.Json(entry!, TaggingJsonContext.Default.TaggingAuditEntry);
    }

    private static async Task<Results<JsonHttpResult<TaggingAuditList>, ProblemHttpResult>> AuditAsync(TaggingStore store, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
            return TypedResults.Problem(detail: "'limit' must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        return TypedResults.Json(new TaggingAuditList(await store.AuditAsync(limit ?? 100, ct)), TaggingJsonContext.Default.TaggingAuditList);
    }
}

/// <summary>Runs the body's FluentValidation validator before the handler; a failure is a 400 validation problem.</summary>
internal sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.Arguments.OfType<T>().FirstOrDefault() is not { } body)
            return TypedResults.Problem(detail: "The request needs a JSON body.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid body");
        var result = await validator.ValidateAsync(body, context.HttpContext.RequestAborted);
        if (!result.IsValid)
            return TypedResults.ValidationProblem(result.ToDictionary());
        return await next(context);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TagRuleState))]
[JsonSerializable(typeof(TaggingView))]
[JsonSerializable(typeof(TaggingAuditEntry))]
[JsonSerializable(typeof(TaggingAuditList))]
internal sealed partial class TaggingJsonContext : JsonSerializerContext;
