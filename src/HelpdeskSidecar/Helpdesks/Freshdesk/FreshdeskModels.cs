using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

// Wire shapes of the Freshdesk API v2 (only the fields we read or write).

internal sealed record FreshdeskTicket
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("subject")] public string? Subject { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("description_text")] public string? DescriptionText { get; init; }
    [JsonPropertyName("status")] public int? Status { get; init; }
    [JsonPropertyName("source")] public int? Source { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("product_id")] public long? ProductId { get; init; }
    [JsonPropertyName("requester_id")] public long? RequesterId { get; init; }
    [JsonPropertyName("company_id")] public long? CompanyId { get; init; }
    [JsonPropertyName("group_id")] public long? GroupId { get; init; }
    [JsonPropertyName("priority")] public int? Priority { get; init; }
    [JsonPropertyName("custom_fields")] public Dictionary<string, JsonElement>? CustomFields { get; init; }
    [JsonPropertyName("requester")] public FreshdeskContact? Requester { get; init; }

    /// <summary>Embedded by <c>?include=company</c> (id and name); a replay export may carry its fields too.</summary>
    [JsonPropertyName("company")] public FreshdeskCompany? Company { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Embedded by <c>?include=conversations</c> and in a replay export; the client lists them page by page instead.</summary>
    [JsonPropertyName("conversations")] public List<FreshdeskConversation>? Conversations { get; init; }
}

/// <summary>View an Agent: the agent's name is on its contact.</summary>
internal sealed record FreshdeskAgent
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("contact")] public FreshdeskContact? Contact { get; init; }
}

internal sealed record FreshdeskContact
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("language")] public string? Language { get; init; }
    [JsonPropertyName("company_id")] public long? CompanyId { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("custom_fields")] public Dictionary<string, JsonElement>? CustomFields { get; init; }
}

/// <summary>View a Company: custom fields plus the built-in account fields that segments may use.</summary>
internal sealed record FreshdeskCompany
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("custom_fields")] public Dictionary<string, JsonElement>? CustomFields { get; init; }
    [JsonPropertyName("account_tier")] public string? AccountTier { get; init; }
    [JsonPropertyName("health_score")] public string? HealthScore { get; init; }
    [JsonPropertyName("industry")] public string? Industry { get; init; }
}

internal sealed record FreshdeskConversation
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("body_text")] public string? BodyText { get; init; }
    [JsonPropertyName("incoming")] public bool Incoming { get; init; }
    [JsonPropertyName("private")] public bool Private { get; init; }
    [JsonPropertyName("user_id")] public long? UserId { get; init; }
    [JsonPropertyName("source")] public int? Source { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }
}

internal sealed record FreshdeskNewNote(
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("private")] bool Private);

internal sealed record FreshdeskSolutionCategory
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
}

internal sealed record FreshdeskSolutionFolder
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>1 all users, 2 logged-in users, 3 agents, 4 selected companies (absent: all users).</summary>
    [JsonPropertyName("visibility")] public int? Visibility { get; init; }
}

internal sealed record FreshdeskSolutionArticle
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("description_text")] public string? DescriptionText { get; init; }

    /// <summary>1 draft, 2 published.</summary>
    [JsonPropertyName("status")] public int Status { get; init; }
    [JsonPropertyName("folder_id")] public long? FolderId { get; init; }
    [JsonPropertyName("category_id")] public long? CategoryId { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary><c>PUT /api/v2/tickets/{id}</c> with <c>tags</c> replaces the list: send the old tags with the new.</summary>
internal sealed record FreshdeskTagsUpdate([property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FreshdeskAgent))]
[JsonSerializable(typeof(List<FreshdeskSolutionCategory>))]
[JsonSerializable(typeof(List<FreshdeskSolutionFolder>))]
[JsonSerializable(typeof(List<FreshdeskSolutionArticle>))]
[JsonSerializable(typeof(FreshdeskTagsUpdate))]
[JsonSerializable(typeof(FreshdeskTicket))]
[JsonSerializable(typeof(List<FreshdeskTicket>))]
[JsonSerializable(typeof(List<FreshdeskConversation>))]
[JsonSerializable(typeof(FreshdeskConversation))]
[JsonSerializable(typeof(FreshdeskNewNote))]
[JsonSerializable(typeof(FreshdeskContact))]
[JsonSerializable(typeof(FreshdeskCompany))]
[JsonSerializable(typeof(FreshdeskTagsUpdate))]
[JsonSerializable(typeof(FreshdeskRouteUpdate))]
[JsonSerializable(typeof(FreshdeskNewSolutionArticle))] // help-center drafts (knowledge authoring)
[JsonSerializable(typeof(FreshdeskSolutionArticle))] // help-center drafts (knowledge authoring)
internal sealed partial class FreshdeskJsonContext : JsonSerializerContext;
