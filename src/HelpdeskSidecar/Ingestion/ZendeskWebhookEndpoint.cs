using System.Globalization;
using System.Text;
using System.Text.Json;
using FluentValidation;
using HelpdeskSidecar.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// <c>POST /webhooks/zendesk</c>: size → signature and timestamp (before parsing) → shape → durable inbox → 202.
/// Nothing is processed inside the request.
/// </summary>
internal static partial class ZendeskWebhookEndpoint
{
    public const string SignatureHeader = "X-Zendesk-Webhook-Signature";
    public const string TimestampHeader = "X-Zendesk-Webhook-Signature-Timestamp";

    public static async Task<Results<Accepted<WebhookAck>, ProblemHttpResult>> HandleAsync(
        HttpRequest request,
        ZendeskWebhookSecrets secrets,
        IOptions<SidecarOptions> options,
        IValidator<ZendeskEvent> validator,
        InboxWriter inbox,
        TimeProvider time,
        ILogger<ZendeskWebhookEndpointLog> logger,
        CancellationToken ct)
    {
        var ingestion = options.Value.Ingestion;
        var body = await WebhookBody.ReadAsync(request, ingestion.MaxBodyBytes, ct);
        if (body is null)
            return WebhookProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body exceeds {ingestion.MaxBodyBytes} bytes.");

        string? signature = request.Headers[SignatureHeader];
        string? timestamp = request.Headers[TimestampHeader];
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
            return WebhookProblems.Unauthorized("The webhook signature headers are missing.");
        if (secrets.Keys.Count == 0)
            return WebhookProblems.Unauthorized("No webhook signing secret is configured (Sidecar:Zendesk:WebhookSecrets).");
        if (!IsFresh(timestamp, time.GetUtcNow(), ingestion.ReplayWindow))
            return WebhookProblems.Unauthorized("The signature timestamp is missing, malformed or outside the replay window.");
        if (!ZendeskSignature.Verify(secrets.Keys, timestamp, body, signature))
        {
            ZendeskWebhookEndpointLog.BadSignature(logger);
            return WebhookProblems.Unauthorized("The webhook signature does not match.");
        }

        if (!WebhookProblems.IsJson(request))
            return WebhookProblems.UnsupportedMediaType(request);

        if (!WebhookBody.IsUtf8(body))
            return WebhookProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is not valid UTF-8.");

        ZendeskEvent? zendeskEvent;
        try
        {
            zendeskEvent = JsonSerializer.Deserialize(body, IngestionJsonContext.Default.ZendeskEvent);
        }
        catch (JsonException ex)
        {
            return WebhookProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", JsonShapeProblem.Describe<ZendeskEvent>(ex));
        }
        if (zendeskEvent is null)
            return WebhookProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is JSON null.");

        var validation = await validator.ValidateAsync(zendeskEvent, ct);
        if (!validation.IsValid)
            return WebhookProblems.Invalid("Invalid Zendesk event", validation);

        return await WebhookProblems.StoreAsync(
            inbox, new InboxEvent("zendesk", zendeskEvent.Id!, zendeskEvent.Type!, zendeskEvent.TicketId, body), ct);
    }

    private static bool IsFresh(string timestamp, DateTimeOffset now, TimeSpan window)
    {
        DateTimeOffset sent;
        if (long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds) && unixSeconds < 100_000_000_000)
            sent = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        else if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out sent))
            return false;
        return (now - sent).Duration() <= window;
    }
}

/// <summary>The configured signing secrets as key bytes, computed once.</summary>
internal sealed class ZendeskWebhookSecrets(IOptions<SidecarOptions> options)
{
    public IReadOnlyList<byte[]> Keys { get; } = options.Value.Zendesk.WebhookSecrets
        .Where(s => !string.IsNullOrEmpty(s)).Select(Encoding.UTF8.GetBytes).ToArray();
}

internal sealed partial class ZendeskWebhookEndpointLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Zendesk webhook with a bad signature")]
    public static partial void BadSignature(ILogger logger);
}
