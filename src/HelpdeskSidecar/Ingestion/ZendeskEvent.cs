using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// The envelope of a Zendesk event-subscription webhook (<c>zen:event-type:ticket.*</c>).
/// Only the fields the sidecar routes on are typed; the raw body is stored as received.
/// </summary>
internal sealed record ZendeskEvent
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("subject")] public string? Subject { get; init; }
    [JsonPropertyName("account_id")] public long? AccountId { get; init; }
    [JsonPropertyName("time")] public DateTimeOffset? Time { get; init; }
    [JsonPropertyName("zendesk_event_version")] public string? EventVersion { get; init; }
    [JsonPropertyName("detail")] public ZendeskEventDetail? Detail { get; init; }
    [JsonPropertyName("event")] public JsonElement Event { get; init; }

    public const string TicketEventPrefix = "zen:event-type:ticket.";

    public bool IsTicketEvent => Type is not null && Type.StartsWith(TicketEventPrefix, StringComparison.Ordinal);

    /// <summary>The ticket id from <c>detail.id</c>, which Zendesk sends as a string.</summary>
    public string? TicketId => IsTicketEvent ? Detail?.Id : null;
}

internal sealed record ZendeskEventDetail
{
    [JsonPropertyName("id")]
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Id { get; init; }

    [JsonPropertyName("brand_id")]
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? BrandId { get; init; }
}

/// <summary>Zendesk sends ids in events as strings, its API as numbers; accept either as a string.</summary>
internal sealed class StringOrNumberConverter : JsonConverter<string?>
{
    public const string Expected = "Expected a string or a number";

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"{Expected}, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ZendeskEvent))]
internal sealed partial class IngestionJsonContext : JsonSerializerContext;
