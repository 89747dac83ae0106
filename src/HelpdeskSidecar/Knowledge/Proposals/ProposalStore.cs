using System.Data.Common;
using System.Text.Json;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>What a publish attempt may do after claiming the proposal.</summary>
/// <param name="Reconcile">An earlier attempt was recorded: the article may exist already; look for its marker first.</param>
internal sealed record PublishClaim(ArticleProposal Proposal, bool Reconcile);

/// <summary>
/// Proposals and their questions, on either provider. Writes that decide something (a question joining a proposal, a
/// review, a publish claim) are single conditional statements, so two replicas or two clicks cannot both win.
/// </summary>
internal sealed class ProposalStore(Database database, TimeProvider time)
{
    private const string Columns = """
        id AS Id, provider AS Provider, status AS Status, title AS Title, answer AS Answer, tags AS Tags, created_at AS CreatedAt,
        updated_at AS UpdatedAt, reviewed_by AS ReviewedBy, reviewed_at AS ReviewedAt, publish_attempts AS PublishAttempts,
        publish_lease_until AS PublishLeaseUntil, publish_error AS PublishError, published_article_id AS PublishedArticleId,
        published_url AS PublishedUrl, published_at AS PublishedAt
        """;

    private string Now => time.GetUtcNow().ToString("O");

    /// <summary>True when the gap suggestion already gave a question to some proposal (a ticket solved twice proposes once).</summary>
    public async Task<bool> HasSuggestionAsync(string suggestionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM article_proposal_questions WHERE suggestion_id = @suggestionId", new { suggestionId }, cancellationToken: ct)) > 0;
    }

    /// <summary>The open (<c>proposed</c>) proposals of a helpdesk with their questions: what a new question may join.</summary>
    public async Task<IReadOnlyList<ArticleProposal>> ListOpenAsync(string provider, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM article_proposals WHERE provider = @provider AND status = @status ORDER BY created_at",
            new { provider, status = ProposalStatus.Proposed }, cancellationToken: ct))).ToList();
        return await WithQuestionsAsync(connection, rows, ct);
    }

    public async Task<IReadOnlyList<ArticleProposal>> ListAsync(string? status, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM article_proposals WHERE (@status IS NULL OR status = @status) ORDER BY created_at DESC, id LIMIT @limit",
            new { status, limit }, cancellationToken: ct))).ToList();
        return await WithQuestionsAsync(connection, rows, ct);
    }

    public async Task<ArticleProposal?> GetAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM article_proposals WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null ? null : (await WithQuestionsAsync(connection, [row], ct))[0];
    }

    /// <summary>A new proposal with its first question; false when the suggestion already has one (nothing written).</summary>
    public async Task<bool> CreateAsync(ArticleProposal proposal, ProposalQuestion question, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO article_proposals (id, provider, status, title, answer, tags, created_at, updated_at)
            VALUES (@Id, @Provider, @Status, @Title, @Answer, @tags, @at, @at)
            """,
            new { proposal.Id, proposal.Provider, proposal.Status, proposal.Title, proposal.Answer, tags = JsonSerializer.Serialize(proposal.Tags), at = proposal.CreatedAt.ToString("O") },
            tx, cancellationToken: ct));
        if (!await AddQuestionAsync(connection, tx, proposal.Id, question, ct))
            return false; // rolled back: the suggestion is already in a proposal
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Adds a question to a proposal still open, with the tags it brings; false when it is no longer open or the suggestion is already in one.</summary>
    public async Task<bool> JoinAsync(string proposalId, ProposalQuestion question, IReadOnlyList<string> tags, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE article_proposals SET tags = @tags, updated_at = @now WHERE id = @proposalId AND status = @open",
            new { proposalId, tags = JsonSerializer.Serialize(tags), now = Now, open = ProposalStatus.Proposed }, tx, cancellationToken: ct));
        if (updated == 0 || !await AddQuestionAsync(connection, tx, proposalId, question, ct))
            return false;
        await tx.CommitAsync(ct);
        return true;
    }

    private static async Task<bool> AddQuestionAsync(DbConnection connection, DbTransaction tx, string proposalId, ProposalQuestion q, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO article_proposal_questions (proposal_id, suggestion_id, ticket_id, question, added_at)
            VALUES (@proposalId, @SuggestionId, @TicketId, @Question, @at) ON CONFLICT (suggestion_id) DO NOTHING
            """,
            new { proposalId, q.SuggestionId, q.TicketId, q.Question, at = q.AddedAt.ToString("O") }, tx, cancellationToken: ct)) == 1;

    /// <summary>An ops lead's edit of an open proposal; false when it is not open (approved, published or rejected ones stay as they were).</summary>
    public async Task<bool> EditAsync(string id, string title, string answer, IReadOnlyList<string> tags, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE article_proposals SET title = @title, answer = @answer, tags = @tags, updated_at = @now WHERE id = @id AND status = @open",
            new { id, title, answer, tags = JsonSerializer.Serialize(tags), now = Now, open = ProposalStatus.Proposed }, cancellationToken: ct)) == 1;
    }

    /// <summary>Moves an open proposal to <paramref name="status"/> (approved or rejected) by <paramref name="who"/>; false when it was not open.</summary>
    public async Task<bool> ReviewAsync(string id, string status, string who, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE article_proposals SET status = @status, reviewed_by = @who, reviewed_at = @now, updated_at = @now WHERE id = @id AND status = @open",
            new { id, status, who, now = Now, open = ProposalStatus.Proposed }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Records the intent to publish before any call: an approved proposal not yet published and not held by another
    /// attempt's lease gets one more attempt and a lease. <see cref="PublishClaim.Reconcile"/> is true when an earlier
    /// attempt was recorded (it may have created the article and died before storing its id). Null: not claimable.
    /// </summary>
    public async Task<PublishClaim?> ClaimPublishAsync(string id, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var now = time.GetUtcNow();
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE article_proposals SET publish_attempts = publish_attempts + 1, publish_lease_until = @until, updated_at = @now
            WHERE id = @id AND status = @approved AND published_article_id IS NULL AND (publish_lease_until IS NULL OR publish_lease_until < @now)
            """,
            new { id, approved = ProposalStatus.Approved, until = (now + lease).ToString("O"), now = now.ToString("O") }, cancellationToken: ct));
        if (claimed == 0)
            return null;
        var proposal = await GetAsync(id, ct);
        return proposal is null ? null : new PublishClaim(proposal, proposal.PublishAttempts > 1);
    }

    /// <summary>The created (or found) article's id: the proposal is published (as a draft in the helpdesk).</summary>
    public async Task<bool> MarkPublishedAsync(string id, string articleId, string? url, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE article_proposals SET status = @published, published_article_id = @articleId, published_url = @url, published_at = @now,
                   publish_lease_until = NULL, publish_error = NULL, updated_at = @now
            WHERE id = @id AND published_article_id IS NULL
            """,
            new { id, articleId, url, published = ProposalStatus.Published, now = Now }, cancellationToken: ct)) == 1;
    }

    /// <summary>An attempt that failed (the helpdesk said no, or could not be reached): the lease is released for a retry.</summary>
    public async Task RecordPublishFailureAsync(string id, string error, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE article_proposals SET publish_error = @error, publish_lease_until = NULL, updated_at = @now WHERE id = @id AND published_article_id IS NULL",
            new { id, error, now = Now }, cancellationToken: ct));
    }

    private async Task<IReadOnlyList<ArticleProposal>> WithQuestionsAsync(DbConnection connection, IReadOnlyList<Row> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return [];
        var ids = rows.Select(r => r.Id).ToArray();
        var questions = (await connection.QueryAsync<(string ProposalId, string SuggestionId, string TicketId, string Question, string AddedAt)>(new CommandDefinition(
            $"SELECT proposal_id, suggestion_id, ticket_id, question, added_at FROM article_proposal_questions WHERE {database.Sql.In("proposal_id", "@ids")} ORDER BY id",
            new { ids }, cancellationToken: ct))).ToLookup(q => q.ProposalId);
        return rows.Select(r => r.ToProposal(questions[r.Id].Select(q => new ProposalQuestion(q.SuggestionId, q.TicketId, q.Question, DateTimeOffset.Parse(q.AddedAt, System.Globalization.CultureInfo.InvariantCulture))).ToList())).ToList();
    }

    private sealed record Row
    {
        public string Id { get; init; } = "";
        public string Provider { get; init; } = "";
        public string Status { get; init; } = "";
        public string Title { get; init; } = "";
        public string Answer { get; init; } = "";
        public string Tags { get; init; } = "[]";
        public string CreatedAt { get; init; } = "";
        public string UpdatedAt { get; init; } = "";
        public string? ReviewedBy { get; init; }
        public string? ReviewedAt { get; init; }
        public long PublishAttempts { get; init; }
        public string? PublishLeaseUntil { get; init; }
        public string? PublishError { get; init; }
        public string? PublishedArticleId { get; init; }
        public string? PublishedUrl { get; init; }
        public string? PublishedAt { get; init; }

        public ArticleProposal ToProposal(IReadOnlyList<ProposalQuestion> questions) => new()
        {
            Id = Id, Provider = Provider, Status = Status, Title = Title, Answer = Answer,
            Tags = JsonSerializer.Deserialize<List<string>>(Tags) ?? [],
            CreatedAt = Time(CreatedAt)!.Value, UpdatedAt = Time(UpdatedAt)!.Value, ReviewedBy = ReviewedBy, ReviewedAt = Time(ReviewedAt),
            PublishAttempts = (int)PublishAttempts, PublishLeaseUntil = Time(PublishLeaseUntil), PublishError = PublishError,
            PublishedArticleId = PublishedArticleId, PublishedUrl = PublishedUrl, PublishedAt = Time(PublishedAt), Questions = questions,
        };

        private static DateTimeOffset? Time(string? text) =>
            text is null ? null : DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
    }
}
