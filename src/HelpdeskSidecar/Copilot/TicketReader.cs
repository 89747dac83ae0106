using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Copilot.Language;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Copilot.Tone;

namespace HelpdeskSidecar.Copilot;

/// <summary>
/// Reads a redacted ticket text: language, intent and tags (when history exists), sentiment and urgency. With a chat model
/// configured, intent, tags, sentiment and urgency are the model's (inside the learned taxonomy) and the offline readers
/// are the fallback; <see cref="TicketUnderstanding.Classifier"/> says which answered.
/// </summary>
internal sealed class TicketReader(ClassifierHost classifiers, ITicketModelReader model)
{
    /// <param name="askModel">False for a ticket flagged for prompt injection: its labels steer policy, so only the offline readers, which take no instructions, label it.</param>
    public async Task<TicketUnderstanding> ReadAsync(string redactedText, RedactionMap redactions, ModelLedger ledger, bool askModel, CancellationToken ct)
    {
        var text = RedactionMap.WithoutPlaceholders(redactedText);
        var language = LanguageDetector.Detect(text);
        var (sentiment, urgency) = ToneReader.Read(text);
        var classifier = await classifiers.GetAsync(ct);
        var classification = classifier?.Classify(text);
        var offline = new TicketUnderstanding
        {
            Redactions = redactions.CountsByKind,
            Redactor = PiiRedactor.Version,
            Language = language.Code,
            LanguageConfidence = language.Confidence,
            Intent = classification?.Intent,
            Tags = classification?.Tags ?? [],
            OutOfScope = classification?.OutOfScope ?? false,
            Classifier = classifier is null ? null : $"{classifier.Describe} ({classifier.ExampleCount} past tickets)",
            Sentiment = sentiment,
            Urgency = urgency,
        };
        if (!askModel)
            return offline;
        var taxonomy = new Taxonomy(classifier?.Intents ?? [], classifier?.Tags ?? []);
        if (await model.ReadAsync(redactedText, taxonomy, ledger, ct) is not { } reading)
            return offline;
        return offline with
        {
            Intent = reading.Intent is null ? null : new LabelScore(reading.Intent, reading.Confidence),
            Tags = reading.Tags.Select(t => new LabelScore(t, reading.Confidence)).ToList(),
            Classifier = reading.By,
            // The lexicon's trigger words stay: they explain a reading; the level is the model's.
            Sentiment = sentiment with { Level = reading.Sentiment },
            Urgency = urgency with { Level = reading.Urgency },
        };
    }
}
