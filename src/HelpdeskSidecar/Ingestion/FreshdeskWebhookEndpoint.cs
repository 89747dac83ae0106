using System.Text.Json;
using FluentValidation;
using HelpdeskSidecar.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// <c>POST /webhooks/freshdesk</c>: shared secret (before the body is even read) → size → shape → durable inbox → 202.
/// Nothing is processed inside the request.
/// </summary>
internal static partial class FreshdeskWebhookEndpoint
{
    public const string Provider = "freshdesk";

    public static async Task<Results<Accepted<WebhookAck>, ProblemHttpResult>> HandleAsync(
        HttpRequest request,
        FreshdeskWebhookSecret secret,
        IOptions<SidecarOptions> options,
        IValidator<FreshdeskEvent> validator,
        InboxWriter inbox,
        ILogger<FreshdeskWebhookEndpointLog> logger,
        CancellationToken ct)
    {
        if (!secret.IsConfigured)
            return WebhookProblems.Unauthorized("No webhook secret is configured (Sidecar:Freshdesk:WebhookSecret).");
        if (!secret.IsAuthorized(request))
        {
            FreshdeskWebhookEndpointLog.BadSecret(logger);
            return WebhookProblems.Unauthorized($"Send the webhook secret as the HTTP Basic password or in {FreshdeskWebhookSecret.Header}.");
        }

        var ingestion = options.Value.Ingestion;
        if (!WebhookProblems.IsJson(request))
            return WebhookProblems.UnsupportedMediaType(request, " (the rule's encoding: JSON)");
        var body = await WebhookBody.ReadAsync(request, ingestion.MaxBodyBytes, ct);
        if (body is null)
            return WebhookProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body exceeds {ingestion.MaxBodyBytes} bytes.");

        if (!WebhookBody.IsUtf8(body))
            return WebhookProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is not valid UTF-8.");

        FreshdeskEvent? freshdeskEvent;
        try
        {
            freshdeskEvent = JsonSerializer.Deserialize(body, FreshdeskWebhookJsonContext.Default.FreshdeskEvent);
        }
        catch (JsonException ex)
        {
            return WebhookProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", JsonShapeProblem.Describe<FreshdeskEvent>(ex));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return WebhookProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is not valid JSON for a Freshdesk webhook.");
        }
        if (freshdeskEvent is null)
            return WebhookProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is JSON null.");

        var validation = await validator.ValidateAsync(freshdeskEvent, ct);
        if (!validation.IsValid)
            return WebhookProblems.Invalid("Invalid Freshdesk webhook", validation);

        return await WebhookProblems.StoreAsync(
            inbox, new InboxEvent(Provider, freshdeskEvent.DedupeKey(body), freshdeskEvent.EventType!, freshdeskEvent.Effective.TicketId, body), ct);
    }
}

internal sealed partial class FreshdeskWebhookEndpointLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Freshdesk webhook without the shared secret")]
    public static partial void BadSecret(ILogger logger);
}
