namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>Where a proposal stands: <c>proposed</c> → <c>approved</c> (publishing) → <c>published</c>, or <c>rejected</c>.</summary>
internal static class ProposalStatus
{
    public const string Proposed = "proposed";
    public const string Approved = "approved";
    public const string Published = "published";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Proposed, Approved, Published, Rejected];
}

/// <summary>One customer question a proposal answers: the gap suggestion's redacted excerpt, and where it came from.</summary>
internal sealed record ProposalQuestion(string SuggestionId, string TicketId, string Question, DateTimeOffset AddedAt);

/// <summary>
/// A draft help-center article written from agents' answers to questions the knowledge base could not answer. Holds
/// redacted text only. "Published" means published to the helpdesk <em>as a draft</em>; a human publishes it there.
/// </summary>
internal sealed record ArticleProposal
{
    public required string Id { get; init; }

    /// <summary>The helpdesk of the tickets (<c>zendesk</c>, <c>freshdesk</c>, <c>replay</c>), which is where it is published.</summary>
    public required string Provider { get; init; }

    public required string Status { get; init; }
    public required string Title { get; init; }
    public required string Answer { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public string? ReviewedBy { get; init; }
    public DateTimeOffset? ReviewedAt { get; init; }
    public int PublishAttempts { get; init; }
    public DateTimeOffset? PublishLeaseUntil { get; init; }
    public string? PublishError { get; init; }
    public string? PublishedArticleId { get; init; }
    public string? PublishedUrl { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public IReadOnlyList<ProposalQuestion> Questions { get; init; } = [];

    /// <summary>The label (Zendesk) or tag (Freshdesk) the published draft carries, so a retry can find it instead of writing it twice.</summary>
    public string Marker => MarkerFor(Id);

    public static string MarkerFor(string id) => $"sidecar-proposal-{id}";
}
