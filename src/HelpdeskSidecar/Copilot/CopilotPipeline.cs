using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Copilot;

internal enum PipelineOutcomeKind
{
    Created,
    AlreadySuggested,
    NothingToAnswer,
}

internal sealed record PipelineOutcome(PipelineOutcomeKind Kind, Suggestion? Suggestion, string Reason);

/// <summary>
/// One run for one ticket: load it from the helpdesk (the webhook was only a hint) → redact → understand → policy →
/// retrieve (in the customer's language) → draft (model or offline) → guardrails → store the suggestion with its trace.
/// Idempotent: a second run for the same customer message returns the suggestion already stored.
/// </summary>
internal sealed partial class CopilotPipeline(
    HelpdeskRegistry helpdesks,
    KnowledgeIndex knowledge,
    SuggestionStore suggestions,
    TicketReader reader,
    Suggestions.Acceptance.AcceptanceTracker acceptance,
    Suggestions.Acceptance.IVerdictWriter verdicts,
    Suggestions.Tagging.TaggingPolicy tagging,
    Suggestions.Acceptance.FeedbackLinks feedbackLinks,
    PolicyProvider policy,
    Settings.ModeOverrideStore modeOverrides,
    IDraftWriter drafts,
    IThreadSummarizer summarizer,
    Language.IQueryTranslator translator,
    IOptions<SidecarOptions> options,
    IOptions<LlmOptions> llm,
    TimeProvider time,
    ILogger<CopilotPipeline> logger)
{
    public async Task<PipelineOutcome> RunAsync(string provider, string ticketId, IReadOnlyList<string> eventIds, CancellationToken ct)
    {
        if (!helpdesks.TryGet(provider, out var helpdesk))
            throw new HelpdeskException($"No helpdesk '{provider}' is configured.", retryable: false);

        var started = time.GetTimestamp();
        var ticket = await helpdesk.GetTicketAsync(ticketId, ct);
        var loaded = time.GetTimestamp();

        // Any run is a chance to see what the agents did with earlier suggestions (a reply, a solve).
        await acceptance.TrackAsync(ticket, ct);

        if (ticket.Status is "solved" or "closed")
            return new PipelineOutcome(PipelineOutcomeKind.NothingToAnswer, null, $"The ticket is {ticket.Status}.");
        if (!ticket.AwaitsAgentReply || ticket.LatestCustomerMessage is not { } message)
            return new PipelineOutcome(PipelineOutcomeKind.NothingToAnswer, null, "No customer message is waiting for a reply.");

        if (await suggestions.FindByTriggerAsync(provider, ticketId, message.Id, ct) is { } existing)
            return new PipelineOutcome(PipelineOutcomeKind.AlreadySuggested, existing, "This customer message already has a suggestion.");

        // Everything after this line sees the redacted ticket only: the index query, the model, the drafter, the classifiers.
        var (redacted, redactions) = TicketRedactor.Redact(ticket);
        var customerText = TicketQuery.TextOf(redacted);
        var ledger = new ModelLedger();
        // An injection flag never changes policy: a flagged ticket is labelled by the offline readers only (they take no instructions).
        var injection = InjectionDetector.Scan(customerText);
        var understanding = await reader.ReadAsync(customerText, redactions, ledger, askModel: injection.Count == 0, ct);
        // Policy before retrieval: it decides what may be retrieved and done.
        var policySnapshot = policy.Current;
        // Requester and organization data is read only when the policy has segments to derive from it.
        var customer = policySnapshot.Policy.Segments.Count > 0 ? await helpdesk.GetCustomerAsync(ticket, ct) : HelpdeskCustomer.Unknown;
        var decision = PolicyEngine.Decide(policySnapshot.Policy, policySnapshot.Source,
            PolicyGate.InputFor(redacted, understanding, customerText) with { Segments = policySnapshot.Policy.SegmentsOf(customer) });
        var tags = PolicyGate.Tags(await tagging.DecideAsync(understanding, ct), decision, injection);
        var queryText = RedactionMap.WithoutPlaceholders(customerText);
        var terms = QueryText.Terms(queryText);
        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var run = new Run(id, redacted, understanding, decision, policySnapshot.Policy, tags, queryText, terms, [DraftGuardrails.Injection(injection)], ledger);
        var (draft, kind, note, drafter, retrieved, translation) = decision.Escalate ? await EscalateAsync(run, ct) : await DraftAsync(run, ct);
        note = NoteFormatter.WithInjectionWarning(note, injection);
        var drafted = time.GetTimestamp();

        (var mode, decision) = PolicyGate.Mode(decision, understanding.Intent?.Label, ticket.BrandId, await modeOverrides.CurrentAsync(ct), options.Value.Mode);
        var (suggestion, created) = await suggestions.InsertAsync(new Suggestion
        {
            Id = id,
            Provider = provider,
            TicketId = ticketId,
            TriggerKey = message.Id,
            CreatedAt = time.GetUtcNow(),
            Kind = kind,
            Mode = mode.ToString(),
            Draft = draft.Reply,
            Note = note,
            BrandId = ticket.BrandId,
            Question = QuestionExcerpt.Of(redacted),
            Status = mode == SidecarMode.Live ? SuggestionStatus.PendingWrite : SuggestionStatus.Shadow,
            Trace = new SuggestionTrace
            {
                EventIds = eventIds,
                QueryTermCount = terms.Count,
                Sources = draft.Sources.Select(s => new TraceSource(s.Number, s.ArticleId, s.Title, s.Url, s.HeadingPath, Math.Round(s.Score, 4), s.MatchedTerms)).ToList(),
                Drafter = drafter,
                Confidence = draft.Confidence,
                Evidence = draft.Evidence,
                Reason = draft.Reason,
                TimingsMs = new TraceTimings(Ms(started, loaded), Ms(loaded, retrieved), Ms(retrieved, drafted), Ms(started, time.GetTimestamp())),
                Understanding = understanding,
                Tagging = tags,
                Policy = decision,
                Guardrails = run.Guardrails,
                Model = ledger.ToTrace(llm.Value),
                Translation = translation,
            },
        }, ct);
        if (created)
        {
            LogSuggested(provider, ticketId, suggestion.Id, suggestion.Kind, draft.Sources.Count);
            // The older drafts on this ticket answer a message the customer has since followed up: settled now, not at the next event.
            await verdicts.SupersedeOpenDraftsAsync(provider, ticketId, suggestion.Id, ct);
        }
        return new PipelineOutcome(created ? PipelineOutcomeKind.Created : PipelineOutcomeKind.AlreadySuggested, suggestion, draft.Reason);
    }

    private double Ms(long from, long to) => Math.Round(time.GetElapsedTime(from, to).TotalMilliseconds, 3);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggestion {SuggestionId} ({Kind}, {SourceCount} sources) for {Provider} ticket {TicketId}")]
    private partial void LogSuggested(string provider, string ticketId, string suggestionId, SuggestionKind kind, int sourceCount);
}
