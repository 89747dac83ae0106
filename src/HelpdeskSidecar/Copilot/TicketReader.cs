using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Copilot.Language;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Copilot.Tone;

namespace HelpdeskSidecar.Copilot;

/// <summary>Reads a redacted ticket text: language, intent and tags (when history exists), sentiment and urgency.</summary>
internal sealed class TicketReader(ClassifierHost classifiers)
{
    public async Task<TicketUnderstanding> ReadAsync(string redactedText, RedactionMap redactions, CancellationToken ct)
    {
        var text = RedactionMap.WithoutPlaceholders(redactedText);
        var language = LanguageDetector.Detect(text);
        var (sentiment, urgency) = ToneReader.Read(text);
        var classifier = await classifiers.GetAsync(ct);
        var classification = classifier?.Classify(text);
        return new TicketUnderstanding
        {
            Redactions = redactions.CountsByKind,
            Redactor = PiiRedactor.Version,
            Language = language.Code,
            LanguageConfidence = language.Confidence,
            Intent = classification?.Intent,
            Tags = classification?.Tags ?? [],
            Classifier = classifier is null ? null : $"{IntentClassifier.Version} ({classifier.ExampleCount} past tickets)",
            Sentiment = sentiment,
            Urgency = urgency,
        };
    }
}
