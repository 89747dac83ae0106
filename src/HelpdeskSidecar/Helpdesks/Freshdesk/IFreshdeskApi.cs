using Refit;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>
/// The Freshdesk API v2 calls the sidecar makes, as a Refit interface (client generated at build time). Lists take
/// <c>per_page</c> and <c>page</c>, the values the previous page's <c>Link</c> header names (see <see cref="LinkHeader"/>).
/// </summary>
internal interface IFreshdeskApi
{
    [Get("/api/v2/tickets/{ticketId}?include=requester")]
    Task<IApiResponse<FreshdeskTicket>> ViewTicketWithRequesterAsync(string ticketId, CancellationToken ct);

    [Get("/api/v2/tickets/{ticketId}")]
    Task<IApiResponse<FreshdeskTicket>> ViewTicketAsync(string ticketId, CancellationToken ct);

    [Get("/api/v2/tickets/{ticketId}/conversations")]
    Task<IApiResponse<List<FreshdeskConversation>>> ListConversationsAsync(string ticketId, [AliasAs("per_page")] int perPage, int? page, CancellationToken ct);

    [Get("/api/v2/agents/{agentId}")]
    Task<IApiResponse<FreshdeskAgent>> ViewAgentAsync(string agentId, CancellationToken ct);

    [Get("/api/v2/contacts/{contactId}")]
    Task<IApiResponse<FreshdeskContact>> ViewContactAsync(string contactId, CancellationToken ct);

    [Get("/api/v2/companies/{companyId}")]
    Task<IApiResponse<FreshdeskCompany>> ViewCompanyAsync(string companyId, CancellationToken ct);

    [Get("/api/v2/solutions/categories")]
    Task<IApiResponse<List<FreshdeskSolutionCategory>>> ListSolutionCategoriesAsync([AliasAs("per_page")] int perPage, int? page, CancellationToken ct);

    [Get("/api/v2/solutions/categories/{categoryId}/folders")]
    Task<IApiResponse<List<FreshdeskSolutionFolder>>> ListSolutionFoldersAsync(long categoryId, [AliasAs("per_page")] int perPage, int? page, CancellationToken ct);

    [Get("/api/v2/solutions/folders/{folderId}/articles")]
    Task<IApiResponse<List<FreshdeskSolutionArticle>>> ListSolutionArticlesAsync(long folderId, [AliasAs("per_page")] int perPage, int? page, CancellationToken ct);

    /// <summary>Create a Solution Article in a folder (a draft: status 1; see FreshdeskClient.Solutions).</summary>
    [Post("/api/v2/solutions/folders/{folderId}/articles")]
    Task<IApiResponse<FreshdeskSolutionArticle>> CreateSolutionArticleAsync(long folderId, [Body] FreshdeskNewSolutionArticle article, CancellationToken ct);

    [Post("/api/v2/tickets/{ticketId}/notes")]
    Task<IApiResponse<FreshdeskConversation>> CreateNoteAsync(string ticketId, [Body] FreshdeskNewNote note, CancellationToken ct);

    /// <summary>Update Ticket with the routing fields only: <c>group_id</c>, <c>priority</c>, <c>custom_fields</c>.</summary>
    [Put("/api/v2/tickets/{ticketId}")]
    Task<IApiResponse> UpdateRouteAsync(string ticketId, [Body] FreshdeskRouteUpdate update, CancellationToken ct);

    /// <summary>Update Ticket with <c>tags</c> only: replaces the whole list, so the caller sends the union.</summary>
    [Put("/api/v2/tickets/{ticketId}")]
    Task<IApiResponse> UpdateTagsAsync(string ticketId, [Body] FreshdeskTagsUpdate update, CancellationToken ct);

    /// <summary>List All Tickets filtered by requester, newest first (customer history; Freshdesk lists the last 30 days by default).</summary>
    [Get("/api/v2/tickets?order_by=created_at&order_type=desc")]
    Task<IApiResponse<List<FreshdeskTicket>>> ListRequesterTicketsAsync([AliasAs("requester_id")] string requesterId, [AliasAs("per_page")] int perPage, CancellationToken ct);
}
