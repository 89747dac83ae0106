using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Suggestions.Tagging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Settings;

/// <summary>The body of <c>PUT /api/settings/modes/brands/{brand}</c> and <c>…/intents/{intent}</c>.</summary>
internal sealed record ModeRequest(string? Mode);

internal sealed class ModeRequestValidator : AbstractValidator<ModeRequest>
{
    public static readonly string[] Modes = ["shadow", "live", ModeOverrideStore.Inherit];

    public ModeRequestValidator() =>
        RuleFor(r => r.Mode).NotEmpty().Must(m => Modes.Contains(m))
            .WithName("mode").WithMessage("'mode' must be one of shadow, live, inherit.");
}

internal sealed record ModeOverridesView(IReadOnlyList<ModeOverride> Brands, IReadOnlyList<ModeOverride> Intents);

/// <summary>The policy file: configured or not, valid or rejected (the last good policy stays in force), and its hash.</summary>
internal sealed record PolicyFileView(string? File, string State, string Source, DateTimeOffset LoadedAt, int RuleCount, string? Sha256, IReadOnlyList<PolicyError> Errors);

internal sealed record SettingsView(string Mode, IReadOnlyList<string> ModePrecedence, ModeOverridesView Overrides, PolicyFileView Policy);

/// <summary>The answer to a mode change: the scope's mode now (<c>inherit</c>: no override) and the audit entry, null when nothing changed.</summary>
internal sealed record ModeChange(string Scope, string Key, string Mode, SettingsAuditEntry? Audit);

internal sealed record SettingsAuditList(IReadOnlyList<SettingsAuditEntry> Items);

/// <summary><c>/api/settings</c>: the mode per brand and per intent, the policy file's state, and the audit of changes.</summary>
internal static class SettingsEndpoints
{
    public static readonly string[] Precedence =
        ["a policy rule's own mode", "the intent's override", "the brand's override", "the policy's defaults mode", "Sidecar:Mode"];

    public static IEndpointRouteBuilder MapSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/settings").WithTags("Settings").RequireAuthorization(AccessPolicies.Oversight);
        api.MapGet("/", GetAsync).WithName("GetSettings");
        api.MapPut("/modes/brands/{brand}", (string brand, ModeRequest body, ModeOverrideStore store, ClaimsPrincipal user, CancellationToken ct) => SetAsync(ModeScopes.Brand, brand, body, store, user.ActorName(), ct))
            .RequireAuthorization(AccessPolicies.Operations).AddEndpointFilter<ValidationFilter<ModeRequest>>().WithName("SetBrandMode");
        api.MapPut("/modes/intents/{intent}", (string intent, ModeRequest body, ModeOverrideStore store, ClaimsPrincipal user, CancellationToken ct) => SetAsync(ModeScopes.Intent, intent, body, store, user.ActorName(), ct))
            .RequireAuthorization(AccessPolicies.Operations).AddEndpointFilter<ValidationFilter<ModeRequest>>().WithName("SetIntentMode");
        api.MapGet("/audit", AuditAsync).WithName("GetSettingsAudit");
        return app;
    }

    private static async Task<JsonHttpResult<SettingsView>> GetAsync(
        ModeOverrideStore store, PolicyProvider policy, PolicyFileEditor editor, IOptions<SidecarOptions> options, CancellationToken ct)
    {
        var overrides = await store.ListAsync(ct);
        var view = new SettingsView(options.Value.Mode.ToString().ToLowerInvariant(), Precedence,
            new ModeOverridesView(overrides.Where(o => o.Scope == ModeScopes.Brand).ToList(), overrides.Where(o => o.Scope == ModeScopes.Intent).ToList()),
            PolicyFile(policy.Current, editor));
        return TypedResults.Json(view, SettingsJsonContext.Default.SettingsView);
    }

    public static PolicyFileView PolicyFile(PolicySnapshot snapshot, PolicyFileEditor editor)
    {
        var file = editor.Read();
        var state = PolicyState(snapshot, file);
        return new PolicyFileView(file?.Path, state, snapshot.Source, snapshot.LoadedAt, snapshot.Policy.Rules.Count, file?.Sha256, snapshot.LastErrors);
    }

    /// <summary><c>not_configured</c>, <c>valid</c>, <c>unreadable</c> or <c>rejected</c>: the file as read now, against the policy in force.</summary>
    public static string PolicyState(PolicySnapshot snapshot, PolicyFileText? file) =>
        file is null ? "not_configured"
        : snapshot.LastErrors.Count == 0 && file.Text is not null ? "valid"
        : file.Text is null ? "unreadable"
        : "rejected";

    /// <summary>Brand ids and intent labels: 1 to 80 characters without spaces.</summary>
    public static string? CheckKey(string scope, string key) =>
        key.Length is 0 or > 80 || key.Any(char.IsWhiteSpace) ? $"The {scope} must be 1 to 80 characters without spaces." : null;

    private static async Task<Results<JsonHttpResult<ModeChange>, ProblemHttpResult>> SetAsync(
        string scope, string key, ModeRequest body, ModeOverrideStore store, string who, CancellationToken ct)
    {
        var name = key.Trim();
        if (CheckKey(scope, name) is { } problem)
            return TypedResults.Problem(detail: problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid name");
        var entry = await store.SetAsync(scope, name, body.Mode!, who, ct);
        return TypedResults.Json(new ModeChange(scope, name, body.Mode!, entry), SettingsJsonContext.Default.ModeChange);
    }

    private static async Task<Results<JsonHttpResult<SettingsAuditList>, ProblemHttpResult>> AuditAsync(SettingsAudit audit, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
            return TypedResults.Problem(detail: "'limit' must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        return TypedResults.Json(new SettingsAuditList(await audit.ListAsync(limit ?? 100, ct)), SettingsJsonContext.Default.SettingsAuditList);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SettingsView))]
[JsonSerializable(typeof(ModeChange))]
[JsonSerializable(typeof(SettingsAuditList))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
