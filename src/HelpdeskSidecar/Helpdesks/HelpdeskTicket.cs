namespace HelpdeskSidecar.Helpdesks;

/// <summary>A ticket as the pipeline sees it, whichever helpdesk it came from.</summary>
internal sealed record HelpdeskTicket(
    string Provider,
    string Id,
    string Subject,
    string Description,
    string Status,
    IReadOnlyList<string> Tags,
    string? BrandId,
    string? Channel,
    string? RequesterId,
    string? RequesterName,
    string? Locale,
    IReadOnlyList<HelpdeskComment> Comments)
{
    /// <summary>The ticket's organization (Zendesk) or company (Freshdesk), when it has one.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>Names of the staff who wrote on the ticket, by author id, as far as the helpdesk told us (for reports).</summary>
    public IReadOnlyDictionary<string, string> AgentNames { get; init; } = new Dictionary<string, string>();

    /// <summary>The brand's name when the helpdesk told us (for reports).</summary>
    public string? BrandName { get; init; }

    /// <summary>The ticket's group, priority and custom fields as the helpdesk reports them; null when it does not say (replay).</summary>
    public TicketRoute? Route { get; init; }

    /// <summary>The newest public message from the customer, which the suggestion answers.</summary>
    public HelpdeskComment? LatestCustomerMessage =>
        Comments.LastOrDefault(c => c.IsPublic && c.AuthorRole == AuthorRole.EndUser);

    /// <summary>True when the last public word on the ticket is the customer's: someone owes them an answer.</summary>
    public bool AwaitsAgentReply =>
        Comments.LastOrDefault(c => c.IsPublic) is { AuthorRole: AuthorRole.EndUser };
}

internal sealed record HelpdeskComment(
    string Id,
    string? AuthorId,
    AuthorRole AuthorRole,
    bool IsPublic,
    string Body,
    DateTimeOffset CreatedAt);

internal enum AuthorRole
{
    EndUser,
    Agent,
    System,
}

/// <summary>The outcome of a call to a helpdesk: never fire-and-forget.</summary>
internal sealed record HelpdeskResult(bool Succeeded, bool Retryable, string? Error, DateTimeOffset? DelayUntil, string? ResourceId = null)
{
    public static HelpdeskResult Ok(string? resourceId = null) => new(true, false, null, null, resourceId);

    public static HelpdeskResult Transient(string error, DateTimeOffset? delayUntil = null) => new(false, true, error, delayUntil);

    public static HelpdeskResult Permanent(string error) => new(false, false, error, null);
}

/// <summary>Raised when a helpdesk read fails; <see cref="Retryable"/> says whether a later try can succeed.</summary>
internal sealed class HelpdeskException(string message, bool retryable, DateTimeOffset? delayUntil = null) : Exception(message)
{
    public bool Retryable { get; } = retryable;

    public DateTimeOffset? DelayUntil { get; } = delayUntil;

    /// <summary>The helpdesk answered 404: the record does not exist (or is not visible to us).</summary>
    public bool NotFound { get; init; }
}
