using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Reports.Themes;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>eval themes --test &lt;csv&gt; [--json]</c>: groups the texts of a <c>text,category</c> file exactly as the themes
/// report groups customer messages, and scores the grouping against the categories by adjusted mutual information.
/// <c>--shuffle-seed</c> and <c>--slice start:count</c> carve a reproducible slice (for tuning on one, reporting on another).
/// </summary>
internal static class EvalThemesCommand
{
    public static Command Create()
    {
        var test = new Option<string>("--test") { Description = "CSV with the columns text,category.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (keys examples, themes, ami, …)." };
        var encoder = new Option<string>("--encoder") { Description = $"Sentence encoder: {string.Join(", ", ThemeGrouper.Encoders)} (default {ThemeGrouper.DefaultEncoder}).", DefaultValueFactory = _ => ThemeGrouper.DefaultEncoder };
        var threshold = new Option<string?>("--threshold") { Description = $"Linkage distance at which themes stay apart (default {ThemeClusteringSettings.Default.DistanceThreshold.ToString(CultureInfo.InvariantCulture)})." };
        var linkage = new Option<string?>("--linkage") { Description = "average (default) or ward." };
        var themes = new Option<string?>("--themes") { Description = "A fixed number of themes instead of the threshold." };
        var seed = new Option<string?>("--seed") { Description = "Clustering seed (the sample of large inputs)." };
        var shuffleSeed = new Option<string?>("--shuffle-seed") { Description = "Shuffle the rows with this seed before --slice." };
        var slice = new Option<string?>("--slice") { Description = "start:count: only these rows (after --shuffle-seed)." };
        var command = new Command("themes", "Group the texts of a text,category file into themes and report adjusted mutual information against the categories.")
        {
            test, json, encoder, threshold, linkage, themes, seed, shuffleSeed, slice,
        };
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => Task.FromResult(Run(
            parse.GetValue(test)!, parse.GetValue(json), parse.GetValue(encoder)!,
            Settings(parse.GetValue(threshold), parse.GetValue(linkage), parse.GetValue(themes), parse.GetValue(seed)),
            parse.GetValue(shuffleSeed), parse.GetValue(slice)))));
        return command;
    }

    internal static ThemeClusteringSettings Settings(string? threshold, string? linkage, string? themes, string? seed)
    {
        var settings = ThemeClusteringSettings.Default;
        if (threshold is not null)
        {
            settings = double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t is > 0 and <= 4
                ? settings with { DistanceThreshold = t }
                : throw new UsageException($"--threshold must be a number above 0 and at most 4, not '{threshold}'");
        }
        if (linkage is not null)
        {
            settings = Enum.TryParse<ThemeLinkage>(linkage, ignoreCase: true, out var l) && !int.TryParse(linkage, out _)
                ? settings with { Linkage = l }
                : throw new UsageException($"--linkage must be average or ward, not '{linkage}'");
        }
        if (themes is not null)
            settings = settings with { Themes = Whole(themes, "--themes", 1) };
        if (seed is not null)
            settings = settings with { Seed = Whole(seed, "--seed", 0) };
        return settings;
    }

    private static int Whole(string text, string option, int min) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n : throw new UsageException($"{option} must be a whole number of at least {min}, not '{text}'");

    private static int Run(string path, bool json, string encoderName, ThemeClusteringSettings settings, string? shuffleSeed, string? slice)
    {
        if (!ThemeGrouper.Encoders.Contains(encoderName, StringComparer.OrdinalIgnoreCase))
            throw new UsageException($"--encoder must be one of {string.Join(", ", ThemeGrouper.Encoders)}, not '{encoderName}'");
        CategoryFile file;
        try
        {
            file = LabeledFiles.ReadIntents(path, ["test"]);
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException(ex.Message);
        }
        var rows = file.Examples.ToList();
        if (shuffleSeed is not null)
            new Random(Whole(shuffleSeed, "--shuffle-seed", 0)).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        if (slice is not null)
        {
            var parts = slice.Split(':');
            if (parts.Length != 2)
                throw new UsageException($"--slice must be start:count, not '{slice}'");
            var (start, count) = (Whole(parts[0], "--slice start", 0), Whole(parts[1], "--slice count", 1));
            if (start >= rows.Count)
                throw new UsageException($"--slice starts at row {start} but '{path}' has {rows.Count} rows");
            rows = rows.Skip(start).Take(count).ToList();
        }
        if (rows.Count < 2)
            throw new UsageException($"'{path}' needs at least two rows to group");

        var texts = rows.Select(r => r.Text).ToList();
        var watch = Stopwatch.StartNew();
        var encoder = ThemeGrouper.Encoder(encoderName, texts);
        var grouping = ThemeGrouper.Group(texts, encoder, settings);
        var seconds = watch.Elapsed.TotalSeconds;
        var truth = rows.Select(r => r.Intent!).ToList();
        var result = new ThemesEvaluation(
            rows.Count, grouping.Count, truth.Distinct(StringComparer.Ordinal).Count(),
            Math.Round(AdjustedMutualInformation.Score(truth, grouping.Labels), 4),
            Math.Round(AdjustedMutualInformation.Score(truth, grouping.Labels, AmiNormalization.Max), 4),
            "arithmetic", encoder.Name, settings.Linkage.ToString().ToLowerInvariant(), settings.Themes is null ? settings.DistanceThreshold : null,
            settings.Seed, Math.Round(seconds, 2),
            grouping.Words.Take(10).Select((w, i) => new ThemeSummary(ThemeNaming.Label(w), grouping.Labels.Count(l => l == i))).ToList());
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, ThemesEvaluationJsonContext.Default.ThemesEvaluation));
            return SidecarCli.Ok;
        }
        Console.WriteLine(FormattableString.Invariant($"{result.Examples} texts, {result.Categories} categories → {result.Themes} themes ({result.Encoder}, {result.Linkage} linkage, {(result.Threshold is { } t ? $"threshold {t}" : "fixed count")}) in {result.Seconds:0.0} s"));
        Console.WriteLine(FormattableString.Invariant($"adjusted mutual information {result.Ami:0.0000} (arithmetic normalisation; max: {result.AmiMax:0.0000})"));
        foreach (var theme in result.Largest)
            Console.WriteLine(FormattableString.Invariant($"  {theme.Count,5}  {theme.Name}"));
        return SidecarCli.Ok;
    }
}

internal sealed record ThemeSummary(string Name, int Count);

/// <param name="Ami">Adjusted mutual information, normalised by the arithmetic mean of the entropies (scikit-learn's default).</param>
/// <param name="AmiMax">The same normalised by the larger entropy.</param>
internal sealed record ThemesEvaluation(
    int Examples, int Themes, int Categories, double Ami, double AmiMax, string Normalization, string Encoder, string Linkage,
    double? Threshold, int Seed, double Seconds, IReadOnlyList<ThemeSummary> Largest);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ThemesEvaluation))]
internal sealed partial class ThemesEvaluationJsonContext : JsonSerializerContext;
