using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// The JSON a Freshdesk automation rule ("Trigger webhook") sends. Its shape is whatever the rule's author typed,
/// so only <c>ticket_id</c> and <c>triggered_event</c> are required; the recommended template
/// (manifests/freshdesk) wraps the fields in <c>freshdesk_webhook</c>, a hand-written rule may not.
/// </summary>
internal sealed record FreshdeskEvent
{
    [JsonPropertyName("freshdesk_webhook")] public FreshdeskEvent? Wrapped { get; init; }

    /// <summary>Placeholders render as strings (<c>"{{ticket.id}}"</c>), a hand-written body may send a number.</summary>
    [JsonPropertyName("ticket_id")]
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? TicketId { get; init; }

    [JsonPropertyName("triggered_event")] public string? TriggeredEvent { get; init; }

    /// <summary>Optional (<c>{{ticket.updated_at}}</c> in the recommended template): tells two real events apart.</summary>
    [JsonPropertyName("ticket_updated_at")]
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? UpdatedAt { get; init; }

    /// <summary>The fields, from inside the wrapper when there is one.</summary>
    [JsonIgnore] public FreshdeskEvent Effective => Wrapped ?? this;

    /// <summary><c>{ticket_action:created}</c>, <c>{note_type:private}</c>… with the spaces some rules add removed.</summary>
    [JsonIgnore] public string? EventType => Effective.TriggeredEvent is { } e ? string.Concat(e.Where(c => !char.IsWhiteSpace(c))) : null;

    /// <summary>Events after which nobody owes the customer a new answer (our own private notes among them).</summary>
    public static readonly string[] IgnoredTypes = ["{note_type:private}"];

    /// <summary>
    /// Freshdesk sends no event id, and redelivers the same bytes. The key is ticket + event + the ticket's update
    /// time when the rule sends it, else a hash of the body: a redelivery collapses, a later change does not.
    /// </summary>
    public string DedupeKey(ReadOnlySpan<byte> body)
    {
        var e = Effective;
        var stamp = string.IsNullOrWhiteSpace(e.UpdatedAt) || e.UpdatedAt.Contains("{{", StringComparison.Ordinal)
            ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))
            : e.UpdatedAt.Trim();
        return $"{e.TicketId}:{EventType}:{stamp}";
    }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(FreshdeskEvent))]
internal sealed partial class FreshdeskWebhookJsonContext : JsonSerializerContext;
