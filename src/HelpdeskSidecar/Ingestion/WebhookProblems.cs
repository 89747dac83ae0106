using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Ingestion;

internal sealed record WebhookAck(string EventId, bool Duplicate);

/// <summary>What both webhooks answer: problem details for every refusal, 202 only once the event is stored.</summary>
internal static class WebhookProblems
{
    public const string Json = "application/json";

    /// <summary>Checked after authentication, so a stranger learns nothing about what the endpoint accepts.</summary>
    public static bool IsJson(HttpRequest request) =>
        request.ContentType is not { } contentType || contentType.StartsWith(Json, StringComparison.OrdinalIgnoreCase);

    public static ProblemHttpResult UnsupportedMediaType(HttpRequest request, string? hint = null) => Problem(
        StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
        $"Send the body as {Json}{hint}, not '{request.ContentType}'.");

    public static ProblemHttpResult Unauthorized(string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ProblemHttpResult Invalid(string title, FluentValidation.Results.ValidationResult validation) =>
        TypedResults.Problem(new HttpValidationProblemDetails(
            validation.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title,
        });

    /// <summary>Commits the event to the inbox, then acknowledges it; a redelivery is acknowledged as a duplicate.</summary>
    public static async Task<Results<Accepted<WebhookAck>, ProblemHttpResult>> StoreAsync(InboxWriter inbox, InboxEvent inboxEvent, CancellationToken ct)
    {
        InboxResult result;
        try
        {
            result = await inbox.AppendAsync(inboxEvent, ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            // Not stored, so not acknowledged: both helpdesks deliver a failed webhook again.
            return Problem(StatusCodes.Status503ServiceUnavailable, "Not stored", "The event could not be stored; deliver it again later.");
        }
        return TypedResults.Accepted((string?)null, new WebhookAck(inboxEvent.DedupeKey, result == InboxResult.Duplicate));
    }
}
