using Refit;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>
/// The Zendesk Support and Help Center calls the sidecar makes, as a Refit interface (client generated at build time).
/// Cursor pages are two methods each, first page and next page, so the query keeps Zendesk's literal <c>page[...]</c>
/// names while the cursor value is escaped; every call answers with status and headers for <see cref="Http.HelpdeskAnswers"/>.
/// </summary>
internal interface IZendeskApi
{
    [Get("/api/v2/tickets/{ticketId}")]
    Task<IApiResponse<ZendeskTicketEnvelope>> ShowTicketAsync(string ticketId, CancellationToken ct);

    [Get("/api/v2/tickets/{ticketId}/comments?include=users&page[size]={pageSize}")]
    Task<IApiResponse<ZendeskCommentPage>> ListCommentsAsync(string ticketId, int pageSize, CancellationToken ct);

    [Get("/api/v2/tickets/{ticketId}/comments?include=users&page[size]={pageSize}&page[after]={after}")]
    Task<IApiResponse<ZendeskCommentPage>> ListCommentsAfterAsync(string ticketId, int pageSize, string after, CancellationToken ct);

    /// <summary>Show Many Users; the ids are numbers, so the comma-separated list goes unescaped, as Zendesk documents it.</summary>
    [Get("/api/v2/users/show_many")]
    [QueryUriFormat(UriFormat.Unescaped)]
    Task<IApiResponse<ZendeskUserList>> ShowManyUsersAsync([Query(CollectionFormat.Csv)] IEnumerable<long> ids, CancellationToken ct);

    [Get("/api/v2/users/{userId}")]
    Task<IApiResponse<ZendeskUserEnvelope>> ShowUserAsync(string userId, CancellationToken ct);

    [Get("/api/v2/organizations/{organizationId}")]
    Task<IApiResponse<ZendeskOrganizationEnvelope>> ShowOrganizationAsync(string organizationId, CancellationToken ct);

    [Get("/api/v2/brands/{brandId}")]
    Task<IApiResponse<ZendeskBrandEnvelope>> ShowBrandAsync(long brandId, CancellationToken ct);

    [Put("/api/v2/tickets/{ticketId}")]
    Task<IApiResponse> UpdateTicketAsync(string ticketId, [Body] ZendeskTicketUpdateRequest update, CancellationToken ct);

    /// <summary>Update Ticket with the routing fields only (group, priority, custom fields), no comment.</summary>
    [Put("/api/v2/tickets/{ticketId}")]
    Task<IApiResponse> UpdateTicketRouteAsync(string ticketId, [Body] ZendeskRouteUpdateRequest update, CancellationToken ct);

    /// <summary>Adds tags and keeps the existing ones (<c>POST</c> on the same path would replace them all).</summary>
    [Put("/api/v2/tickets/{ticketId}/tags")]
    Task<IApiResponse> AddTagsAsync(string ticketId, [Body] ZendeskTagsRequest tags, CancellationToken ct);

    [Get("/api/v2/help_center/articles?page[size]={pageSize}")]
    Task<IApiResponse<ZendeskArticlePage>> ListArticlesAsync(int pageSize, CancellationToken ct);

    [Get("/api/v2/help_center/articles?page[size]={pageSize}&page[after]={after}")]
    Task<IApiResponse<ZendeskArticlePage>> ListArticlesAfterAsync(int pageSize, string after, CancellationToken ct);

    /// <summary>Create Article in Section (a draft, labelled; see ZendeskClient.HelpCenter).</summary>
    [Post("/api/v2/help_center/sections/{sectionId}/articles")]
    Task<IApiResponse<ZendeskArticleEnvelope>> CreateSectionArticleAsync(string sectionId, [Body] ZendeskNewArticleRequest article, CancellationToken ct);

    /// <summary>List Articles in Section with a label filter, cursor pages as for List Articles.</summary>
    [Get("/api/v2/help_center/sections/{sectionId}/articles?label_names={label}&page[size]={pageSize}")]
    Task<IApiResponse<ZendeskArticlePage>> ListSectionArticlesAsync(string sectionId, string label, int pageSize, CancellationToken ct);

    [Get("/api/v2/help_center/sections/{sectionId}/articles?label_names={label}&page[size]={pageSize}&page[after]={after}")]
    Task<IApiResponse<ZendeskArticlePage>> ListSectionArticlesAfterAsync(string sectionId, string label, int pageSize, string after, CancellationToken ct);

    /// <summary>Incremental ticket export: <c>start_time</c> on the first call, <c>cursor</c> after (a null one is left out).</summary>
    [Get("/api/v2/incremental/tickets/cursor.json")]
    Task<IApiResponse<ZendeskIncrementalTicketPage>> ExportTicketsAsync([AliasAs("start_time")] long? startTime, string? cursor, CancellationToken ct);

    /// <summary>List User Requested Tickets, newest first (customer history).</summary>
    [Get("/api/v2/users/{userId}/tickets/requested?sort_by=created_at&sort_order=desc")]
    Task<IApiResponse<ZendeskTicketList>> ListRequestedTicketsAsync(string userId, [AliasAs("per_page")] int perPage, CancellationToken ct);
}
