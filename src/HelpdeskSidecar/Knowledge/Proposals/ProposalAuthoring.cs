using System.Numerics.Tensors;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>
/// When a ticket that got a knowledge-gap suggestion is solved, the agent's public answer to the gap's customer message
/// (redacted like all ticket text) becomes a draft article proposal. A question close enough to an open proposal's
/// questions (cosine of their sentence vectors ≥ <see cref="AuthoringOptions.MergeThreshold"/>) joins that proposal
/// instead, so several gap tickets on one theme make one article. Called by acceptance tracking on every load of a
/// solved ticket: a gap already proposed is skipped, so a ticket solved twice (or reloaded) proposes once.
/// </summary>
internal sealed partial class ProposalAuthoring(
    ProposalStore store,
    [FromKeyedServices(ProposalAuthoring.EncoderKey)] IEmbeddingGenerator<string, Embedding<float>> encoder,
    IOptions<AuthoringOptions> options,
    TimeProvider time,
    ILogger<ProposalAuthoring> logger)
{
    /// <summary>The DI key of the encoder that compares questions (<see cref="AuthoringOptions.Encoder"/>).</summary>
    public const string EncoderKey = "authoring";

    public const int MaxTags = 10;
    public const int MaxTitle = 200;

    /// <returns>How many gap questions went into proposals (new or joined).</returns>
    public async Task<int> OnSolvedAsync(HelpdeskTicket ticket, IReadOnlyList<Suggestion> suggestions, CancellationToken ct)
    {
        if (!options.Value.Enabled || ticket.Status is not ("solved" or "closed"))
            return 0;
        var gaps = suggestions.Where(s => s.Kind == SuggestionKind.KnowledgeGap).ToList();
        if (gaps.Count == 0)
            return 0;
        // Everything below sees the redacted ticket only: the proposal is stored and shown, never the values.
        var redacted = TicketRedactor.Redact(ticket).Ticket;
        var made = 0;
        foreach (var gap in gaps)
        {
            if (await store.HasSuggestionAsync(gap.Id, ct))
                continue;
            if (AnswerText.Of(redacted, gap.TriggerKey) is not { } answer)
            {
                LogNoAnswer(gap.Provider, ticket.Id, gap.Id);
                continue;
            }
            var text = gap.Question ?? QuestionExcerpt.Of(redacted);
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var question = new ProposalQuestion(gap.Id, ticket.Id, text, time.GetUtcNow());
            var tags = TagsOf(gap, ticket);
            // The helpdesk the suggestion came through (replay for the demo), which is where its proposal is published.
            var (match, similarity) = await ClosestOpenAsync(gap.Provider, text, ct);
            if (match is not null && similarity >= options.Value.MergeThreshold
                && await store.JoinAsync(match.Id, question, [.. match.Tags.Concat(tags).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxTags)], ct))
            {
                made++;
                LogJoined(gap.Provider, ticket.Id, match.Id, similarity);
                continue;
            }
            var proposal = new ArticleProposal
            {
                Id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N"),
                Provider = gap.Provider,
                Status = ProposalStatus.Proposed,
                Title = TitleOf(redacted, text),
                Answer = answer,
                Tags = tags,
                CreatedAt = time.GetUtcNow(),
                UpdatedAt = time.GetUtcNow(),
            };
            if (await store.CreateAsync(proposal, question, ct))
            {
                made++;
                LogProposed(gap.Id, gap.Provider, ticket.Id, proposal.Id, similarity);
            }
        }
        return made;
    }

    /// <summary>The open proposal of the helpdesk whose closest question is nearest <paramref name="question"/>, with that cosine.</summary>
    private async Task<(ArticleProposal? Proposal, double Similarity)> ClosestOpenAsync(string provider, string question, CancellationToken ct)
    {
        var open = await store.ListOpenAsync(provider, ct);
        if (open.Count == 0)
            return (null, 0);
        var texts = open.SelectMany(p => p.Questions.Select(q => q.Question)).Prepend(question).ToList();
        var vectors = await encoder.GenerateAsync(texts, cancellationToken: ct);
        var target = vectors[0].Vector.Span;
        ArticleProposal? best = null;
        var bestScore = double.MinValue;
        var i = 1;
        foreach (var p in open)
        {
            foreach (var _ in p.Questions)
            {
                var score = TensorPrimitives.CosineSimilarity(target, vectors[i++].Vector.Span);
                if (float.IsFinite(score) && score > bestScore)
                    (best, bestScore) = (p, score);
            }
        }
        return (best, best is null ? 0 : Math.Round(bestScore, 4));
    }

    /// <summary>The ticket's subject (redacted) names the theme; without one, the start of the question.</summary>
    private static string TitleOf(HelpdeskTicket redacted, string question)
    {
        var title = string.IsNullOrWhiteSpace(redacted.Subject) ? question : redacted.Subject.Trim();
        return title.Length <= MaxTitle ? title : title[..(MaxTitle - 1)] + "…";
    }

    /// <summary>The predicted intent and the tags the ticket ended with (the agents' own), lower case, at most <see cref="MaxTags"/>.</summary>
    private static IReadOnlyList<string> TagsOf(Suggestion gap, HelpdeskTicket ticket) =>
        new[] { gap.Trace.Understanding?.Intent?.Label }.Concat(ticket.Tags)
            .OfType<string>().Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length is > 0 and <= 50 && !t.Any(char.IsWhiteSpace))
            .Distinct(StringComparer.Ordinal).Take(MaxTags).ToList();

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge gap {SuggestionId} on {Provider} ticket {TicketId} solved: new article proposal {ProposalId} (closest open proposal {Similarity})")]
    private partial void LogProposed(string suggestionId, string provider, string ticketId, string proposalId, double similarity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge gap on {Provider} ticket {TicketId} solved: its question joins article proposal {ProposalId} (similarity {Similarity})")]
    private partial void LogJoined(string provider, string ticketId, string proposalId, double similarity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Knowledge gap {SuggestionId} on {Provider} ticket {TicketId} solved without a public agent answer: no proposal")]
    private partial void LogNoAnswer(string provider, string ticketId, string suggestionId);
}
