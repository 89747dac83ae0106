using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Tagging;

namespace HelpdeskSidecar.Copilot;

/// <summary>The note for one run: an escalation, or retrieval → draft (model or offline) → guardrails.</summary>
internal sealed partial class CopilotPipeline
{
    /// <summary>What one run knows before it writes the note; <see cref="Guardrails"/> collects every check's result.</summary>
    private sealed record Run(string Id, HelpdeskTicket Redacted, TicketUnderstanding Understanding, PolicyDecision Decision, CompiledPolicy Policy,
        IReadOnlyList<TagDecision> Tags, string QueryText, IReadOnlyList<string> Terms, List<GuardrailResult> Guardrails, ModelLedger Ledger)
    {
        /// <summary>The requester's recent tickets (redacted), for the drafter's prompt.</summary>
        public History.CustomerHistory? History { get; init; }
    }

    private sealed record Composed(Draft Draft, SuggestionKind Kind, string Note, string Drafter, long RetrievedAt, Language.QueryTranslation? Translation = null);

    private static readonly OfflineDraftWriter Offline = new();

    /// <summary>Policy says a human must take over: no retrieval, no draft, the reason and a summary.</summary>
    private async Task<Composed> EscalateAsync(Run run, CancellationToken ct)
    {
        var nothingRetrieved = time.GetTimestamp();
        var summary = run.Decision.Allows(PolicyActions.Summary) ? await summarizer.SummarizeAsync(run.Redacted, run.Ledger, ct) : null;
        return new Composed(new Draft(null, [], 0, $"Escalated to a human by policy rule '{run.Decision.Rule}'."), SuggestionKind.Escalation,
            PolicyNotes.Escalation(run.Id, run.Decision, summary, run.Tags), OfflineDrafter.Version, nothingRetrieved);
    }

    private async Task<Composed> DraftAsync(Run run, CancellationToken ct)
    {
        // Hybrid (BM25 + dense, RRF) inside the slice the policy allows, in the customer's language first (then its fallbacks).
        // A language the knowledge base lacks: with a model, the search runs on the question translated into the KB's language.
        // The ticket's brand: its own articles (named by brand id or name) and unbranded ones.
        var scope = run.Decision.Scope(new RetrievalScope { Brand = run.Redacted.BrandId, BrandName = run.Redacted.BrandName });
        var query = await SearchQueryAsync(run, scope.DefaultLocale, ct);
        if (query.Locale is { } locale)
            scope = scope with { Locale = locale };
        var request = new RetrievalRequest(query.Text, options.Value.Knowledge.TopK) { Scope = scope };
        var passages = await knowledge.RetrieveAsync(request, ct);
        var hits = passages.Select(p => p.Hit).ToList();
        var retrieved = time.GetTimestamp();

        // A policy without the draft action gets the (free) offline draft, withheld below, so the note can still list the sources.
        var writer = run.Decision.Allows(PolicyActions.Draft) ? drafts : Offline;
        var evidence = new RetrievalEvidence(
            passages.Where(p => p.DenseScore is not null).DistinctBy(p => p.Hit.ChunkId).ToDictionary(p => p.Hit.ChunkId, p => p.DenseScore!.Value), run.Understanding.Intent)
        {
            Scale = knowledge.DenseScale,
            OutOfScope = run.Understanding.OutOfScope,
        };
        var outcome = await writer.DraftAsync(new DraftInput(run.Redacted, query.Terms, hits, run.Understanding.Language)
        {
            Evidence = evidence,
            Question = query.Text,
            SourcesLanguageCode = query.SourcesLanguage,
            History = run.History,
        }, run.Ledger, ct);
        var draft = outcome.Draft;
        var summarize = run.Decision.Allows(PolicyActions.Summary)
            && (outcome.HumanReason is not null || ThreadSummarizer.Length(run.Redacted) > options.Value.Copilot.SummarizeAfterMessages);
        var summary = summarize ? await summarizer.SummarizeAsync(run.Redacted, run.Ledger, ct) : null;

        if (outcome.HumanReason is { } why)
            return new Composed(draft, SuggestionKind.Escalation,
                PolicyNotes.Escalation(run.Id, $"{why.TrimEnd('.')} (the language model asked for a human)", summary, run.Tags), outcome.Drafter, retrieved, query.Translation);
        if (draft.IsGap)
        {
            // The gap note says which language the customer wrote in when the knowledge base has none of it.
            var notice = query.LanguageNotice is null ? outcome.Notice : string.Join(Environment.NewLine, new[] { outcome.Notice, query.LanguageNotice }.OfType<string>());
            return new Composed(draft, SuggestionKind.KnowledgeGap,
                NoteFormatter.Format(run.Id, draft, run.Tags, null, notice, outcome.Header, summary), outcome.Drafter, retrieved, query.Translation);
        }

        run.Guardrails.InsertRange(0, DraftGuardrails.Check(draft, hits, run.Policy.BannedPhrases, outcome.DeclaredCitations,
            passages.Where(p => p.Tier == KnowledgeTier.PastTicket).Select(p => p.Hit.ArticleId).ToHashSet()));
        var reasons = PolicyNotes.FailedGuardrails(run.Guardrails).ToList();
        if (!run.Decision.Allows(PolicyActions.Draft))
            reasons.Add($"policy rule '{run.Decision.Rule}' does not allow drafts.");
        // Withheld, not replaced by the offline draft: a model answer that failed a guardrail is news for the ops lead.
        if (reasons.Count > 0)
            return new Composed(draft with { Reply = null, Reason = string.Join(" ", reasons) }, SuggestionKind.Withheld,
                PolicyNotes.Withheld(run.Id, reasons, draft.Sources, run.Tags, summary), outcome.Drafter, retrieved, query.Translation);
        return new Composed(draft, SuggestionKind.Draft,
            NoteFormatter.Format(run.Id, draft, run.Tags, feedbackLinks.For(run.Id), outcome.Notice, outcome.Header, summary), outcome.Drafter, retrieved, query.Translation);
    }
}
