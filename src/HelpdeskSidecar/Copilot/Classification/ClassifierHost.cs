using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>
/// Holds the classifier trained from the stored history and retrains it when the history changes (an import in
/// this process, or one made by the CLI against the same database). No history, no classifier: the pipeline
/// then records no intent rather than a guess.
/// </summary>
/// <param name="options">
/// <c>Sidecar:Copilot:OutOfScopeIntent</c> and <c>:ClassifierEncoder</c>; without options (tests that build the host by
/// hand) the classifier has no out-of-scope intent and no sentence vectors.
/// </param>
internal sealed partial class ClassifierHost(HistoryStore history, TimeProvider time, ILogger<ClassifierHost> logger, IOptions<Configuration.SidecarOptions>? options = null) : IDisposable
{
    private readonly SemaphoreSlim _training = new(1, 1);
    // One reference, swapped whole, so a reader never sees a version paired with another version's model.
    private volatile Trained? _current;
    private ISentenceEncoder? _encoder;
    private string? _encoderName;

    /// <summary>
    /// The intents the classifier trained in this process knows (its labels, from the history), without waiting for or
    /// starting a training; null before the first training and when the history has no intents.
    /// </summary>
    public IReadOnlyList<string>? TrainedIntents => _current?.Classifier?.Intents is { Count: > 0 } intents ? intents : null;

    public async Task<IntentClassifier?> GetAsync(CancellationToken ct)
    {
        var version = await history.VersionAsync(ct);
        if (_current is { } current && current.Version == version)
            return current.Classifier;
        return await RetrainAsync(ct);
    }

    public async Task<IntentClassifier?> RetrainAsync(CancellationToken ct)
    {
        await _training.WaitAsync(ct);
        try
        {
            var version = await history.VersionAsync(ct);
            if (_current is { } current && current.Version == version)
                return current.Classifier;
            var examples = await history.LoadAsync(ct);
            IntentClassifier? classifier = null;
            if (examples.Count > 0)
            {
                var started = time.GetTimestamp();
                var copilot = options?.Value.Copilot;
                var settings = copilot is null ? ClassifierSettings.Default : ClassifierSettings.Default with
                {
                    OutOfScopeLabel = string.IsNullOrWhiteSpace(copilot.OutOfScopeIntent) ? null : copilot.OutOfScopeIntent.Trim(),
                    Encoder = Encoder(copilot.ClassifierEncoder),
                };
                classifier = await Task.Run(() => IntentClassifier.Train(examples, settings), ct);
                LogTrained(examples.Count, classifier.Intents.Count, classifier.Tags.Count, time.GetElapsedTime(started).TotalSeconds);
            }
            _current = new Trained(version, classifier);
            return classifier;
        }
        finally
        {
            _training.Release();
        }
    }

    /// <summary>One encoder across retrainings (under the training lock), so that the vectors of unchanged past tickets are reused.</summary>
    private ISentenceEncoder? Encoder(string name)
    {
        if (_encoderName != name)
        {
            var encoder = ClassifierEncoders.Create(name);
            _encoder = encoder is null ? null : new RememberingSentenceEncoder(encoder);
            _encoderName = name;
        }
        return _encoder;
    }

    public void Dispose() => _training.Dispose();

    private sealed record Trained(string Version, IntentClassifier? Classifier);

    [LoggerMessage(Level = LogLevel.Information, Message = "Classifier trained on {Examples} past tickets ({Intents} intents, {Tags} tags) in {Seconds:0.00} s")]
    private partial void LogTrained(int examples, int intents, int tags, double seconds);
}
