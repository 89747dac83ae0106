using HelpdeskSidecar.Copilot.Classification;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Reports.Themes;

/// <summary>
/// Builds the themes report of a window for the API, the console, the CLI and the rising-theme check alike. The window
/// defaults to the last <see cref="ThemesOptions.Weeks"/> ISO weeks up to today (from the injected clock).
/// </summary>
internal sealed class ThemesService(ThemesQuery query, IOptions<ThemesOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private ISentenceEncoder? _encoder;

    public ThemesOptions Options => options.Value;

    public (DateOnly From, DateOnly To) Window(DateOnly? from, DateOnly? to)
    {
        var last = to ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = from ?? ThemesReport.WeekStart(last).AddDays(-7 * (Options.Weeks - 1));
        return (first, last);
    }

    public async Task<ThemesReport> BuildAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var (first, last) = Window(from, to);
        var messages = await query.MessagesAsync(first, last, ct);
        var texts = messages.Select(m => m.Question).ToList();
        var encoder = EncoderFor(texts);
        // Encoding is CPU-bound (ONNX): off the request thread's synchronous path.
        var grouping = await Task.Run(() => ThemeGrouper.Group(texts, encoder, Options.Clustering), ct);
        return ThemesReport.Build(messages, grouping, first, last, encoder.Name, Options);
    }

    /// <summary>The ONNX encoders are shared (the model loads once); the hashed one is fitted on the texts each time.</summary>
    private ISentenceEncoder EncoderFor(IReadOnlyList<string> texts)
    {
        if (string.Equals(Options.Encoder, Ai.Encoders.EncoderChoice.Hashed, StringComparison.OrdinalIgnoreCase))
            return ThemeGrouper.Encoder(Options.Encoder, texts);
        lock (_gate)
            return _encoder ??= ThemeGrouper.Encoder(Options.Encoder, texts);
    }
}
