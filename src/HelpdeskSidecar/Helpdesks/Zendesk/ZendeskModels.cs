using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

// Wire shapes of the Zendesk Support API (only the fields we read or write).

internal sealed record ZendeskTicketEnvelope([property: JsonPropertyName("ticket")] ZendeskTicket? Ticket);

internal sealed record ZendeskTicket
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("subject")] public string? Subject { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("brand_id")] public long? BrandId { get; init; }
    [JsonPropertyName("requester_id")] public long? RequesterId { get; init; }
    [JsonPropertyName("organization_id")] public long? OrganizationId { get; init; }
    [JsonPropertyName("via")] public ZendeskVia? Via { get; init; }
    [JsonPropertyName("group_id")] public long? GroupId { get; init; }
    [JsonPropertyName("priority")] public string? Priority { get; init; }
    [JsonPropertyName("custom_fields")] public List<ZendeskCustomFieldValue>? CustomFields { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }
}

internal sealed record ZendeskVia([property: JsonPropertyName("channel")] string? Channel);

internal sealed record ZendeskCommentPage
{
    [JsonPropertyName("comments")] public List<ZendeskComment>? Comments { get; init; }
    [JsonPropertyName("users")] public List<ZendeskUser>? Users { get; init; }
    [JsonPropertyName("meta")] public ZendeskCursorMeta? Meta { get; init; }
}

internal sealed record ZendeskComment
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("plain_body")] public string? PlainBody { get; init; }
    [JsonPropertyName("public")] public bool Public { get; init; }
    [JsonPropertyName("author_id")] public long? AuthorId { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }
}

internal sealed record ZendeskUser
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("locale")] public string? Locale { get; init; }
    [JsonPropertyName("organization_id")] public long? OrganizationId { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("user_fields")] public Dictionary<string, JsonElement>? UserFields { get; init; }
}

internal sealed record ZendeskUserEnvelope([property: JsonPropertyName("user")] ZendeskUser? User);

internal sealed record ZendeskBrandEnvelope([property: JsonPropertyName("brand")] ZendeskBrand? Brand);

internal sealed record ZendeskBrand
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
}

internal sealed record ZendeskUserList([property: JsonPropertyName("users")] IReadOnlyList<ZendeskUser>? Users);

internal sealed record ZendeskOrganization
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("organization_fields")] public Dictionary<string, JsonElement>? OrganizationFields { get; init; }
}

internal sealed record ZendeskOrganizationEnvelope([property: JsonPropertyName("organization")] ZendeskOrganization? Organization);

internal sealed record ZendeskCursorMeta
{
    [JsonPropertyName("has_more")] public bool HasMore { get; init; }
    [JsonPropertyName("after_cursor")] public string? AfterCursor { get; init; }
}

/// <summary><c>PUT /api/v2/tickets/{id}/tags</c> adds these tags (POST would replace them all).</summary>
internal sealed record ZendeskTagsRequest([property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

internal sealed record ZendeskTicketUpdateRequest([property: JsonPropertyName("ticket")] ZendeskTicketUpdate Ticket);

internal sealed record ZendeskTicketUpdate([property: JsonPropertyName("comment")] ZendeskNewComment Comment);

internal sealed record ZendeskNewComment(
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("public")] bool Public);

internal sealed record ZendeskArticlePage
{
    [JsonPropertyName("articles")] public List<ZendeskArticle>? Articles { get; init; }
    [JsonPropertyName("meta")] public ZendeskCursorMeta? Meta { get; init; }
}

internal sealed record ZendeskArticle
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("html_url")] public string? HtmlUrl { get; init; }
    [JsonPropertyName("draft")] public bool Draft { get; init; }

    /// <summary>Null: everyone may see the article; otherwise only the segment (signed-in users, agents…).</summary>
    [JsonPropertyName("user_segment_id")] public long? UserSegmentId { get; init; }
    [JsonPropertyName("locale")] public string? Locale { get; init; }
    [JsonPropertyName("section_id")] public long? SectionId { get; init; }
    [JsonPropertyName("label_names")] public List<string>? LabelNames { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ZendeskArticlePage))]
[JsonSerializable(typeof(ZendeskTicketEnvelope))]
[JsonSerializable(typeof(ZendeskCommentPage))]
[JsonSerializable(typeof(ZendeskTicketUpdateRequest))]
[JsonSerializable(typeof(ZendeskTagsRequest))]
[JsonSerializable(typeof(ZendeskUserEnvelope))]
[JsonSerializable(typeof(ZendeskUserList))]
[JsonSerializable(typeof(ZendeskBrandEnvelope))]
[JsonSerializable(typeof(ZendeskOrganizationEnvelope))]
[JsonSerializable(typeof(ZendeskIncrementalTicketPage))]
[JsonSerializable(typeof(ZendeskTicketList))]
[JsonSerializable(typeof(ZendeskRouteUpdateRequest))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ZendeskNewArticleRequest))] // help-center drafts (knowledge authoring)
[JsonSerializable(typeof(ZendeskArticleEnvelope))] // help-center drafts (knowledge authoring)
internal sealed partial class ZendeskJsonContext : JsonSerializerContext;
