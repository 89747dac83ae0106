using System.Security.Claims;
using System.Text;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Access;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary><c>GET /api/policy</c>: the policy in force, where it came from, and why the last file was rejected.</summary>
internal sealed record PolicyView(
    string Source, DateTimeOffset LoadedAt, PolicyOutcomeView Defaults, IReadOnlyList<PolicyRuleView> Rules,
    IReadOnlyList<string> BannedPhrases, IReadOnlyList<PolicyError> LastErrors)
{
    /// <summary>The names of the customer segments the policy defines.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>Accepted but probably not meant: rules naming intents the classifier does not know (file, line, column, message).</summary>
    public IReadOnlyList<PolicyError> Warnings { get; init; } = [];

    public static PolicyView From(PolicySnapshot s) => new(
        s.Source, s.LoadedAt, PolicyOutcomeView.From(s.Policy.Defaults),
        s.Policy.Rules.Select(r => new PolicyRuleView(r.Name, PolicyOutcomeView.From(r.Outcome), r.Escalate)).ToList(),
        s.Policy.BannedPhrases, s.LastErrors)
    {
        Segments = s.Policy.Segments.Select(x => x.Name).ToList(),
        Warnings = s.Warnings,
    };
}

internal sealed record PolicyRuleView(string Name, PolicyOutcomeView Outcome, string? Escalate);

internal sealed record PolicyOutcomeView(IReadOnlyList<string> Tiers, string Visibility, IReadOnlyList<string> Actions, string? Mode)
{
    public static PolicyOutcomeView From(PolicyOutcome o) => new(
        o.Tiers.Select(PolicyNames.Tier).ToList(), PolicyNames.Visibility(o.Visibility), o.Actions, o.Mode?.ToString().ToLowerInvariant());
}

internal static class PolicyEndpoints
{
    private static readonly string[] YamlTypes = ["text/yaml", "application/yaml", "application/x-yaml"];

    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/policy").WithTags("Policy").RequireAuthorization(Access.AccessPolicies.Oversight);
        api.MapGet("/", Get).WithName("GetPolicy");
        api.MapPut("/", PutAsync).RequireAuthorization(Access.AccessPolicies.Operations)
            .Accepts<string>("text/yaml", "application/yaml").WithName("SetPolicy");
        return app;
    }

    private static JsonHttpResult<PolicyView> Get(PolicyProvider policy) =>
        TypedResults.Json(PolicyView.From(policy.Current), PolicyJsonContext.Default.PolicyView);

    /// <summary>
    /// Replaces the policy file with the YAML body: 200 with the policy now in force, or 400 listing each error's file
    /// and line (the file is not touched). Same checks, write and audit as the console's editor.
    /// </summary>
    private static async Task<Results<JsonHttpResult<PolicyView>, ProblemHttpResult>> PutAsync(
        HttpRequest request, Settings.PolicyFileEditor editor, ClaimsPrincipal user, CancellationToken ct)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.ToString() : null;
        if (mediaType is null || !YamlTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            return TypedResults.Problem(detail: "Send the policy as YAML: Content-Type text/yaml or application/yaml.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        if (request.ContentLength > Settings.PolicyFileEditor.MaxBytes)
            return TooLarge();
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > Settings.PolicyFileEditor.MaxBytes)
                return TooLarge();
            body.Write(buffer, 0, read);
        }
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body.ToArray()).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return TypedResults.Problem(detail: "The body is not UTF-8 text.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid policy");
        }

        var save = await editor.SaveAsync(text, null, user.ActorName(), ct);
        return save.Outcome switch
        {
            Settings.PolicySaveOutcome.Saved => TypedResults.Json(PolicyView.From(save.Snapshot!), PolicyJsonContext.Default.PolicyView),
            Settings.PolicySaveOutcome.Invalid => TypedResults.Problem(
                detail: $"The policy was rejected and the file was not changed: {string.Join("; ", save.Errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"))}",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid policy",
                extensions: new Dictionary<string, object?> { ["errors"] = save.Errors }),
            Settings.PolicySaveOutcome.NotConfigured => TypedResults.Problem(detail: save.Reason, statusCode: StatusCodes.Status409Conflict, title: "No policy file configured"),
            _ => TypedResults.Problem(detail: save.Reason, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Policy not saved"),
        };
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        detail: $"The policy may be at most {Settings.PolicyFileEditor.MaxBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Policy too large");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PolicyView))]
[JsonSerializable(typeof(PolicyDecision))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
