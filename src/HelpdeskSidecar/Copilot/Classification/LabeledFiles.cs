using System.Globalization;
using System.Text.Json;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>
/// The labelled files the eval commands read: a CSV <c>text,category</c>; a JSON object of named splits, each a list of
/// <c>[text, intent]</c> pairs (CLINC150's layout); and for tags, a JSON list of <c>{text, intents}</c> or a folder of
/// <c>fold*.json</c> such lists (NLU++'s layout). Every problem is an <see cref="InvalidDataException"/> naming the file
/// (and for JSON the line and position), for a one-line CLI error.
/// </summary>
internal static class LabeledFiles
{
    /// <summary>A CSV file, or a JSON file of splits of which <paramref name="splits"/> are taken (in that order).</summary>
    public static CategoryFile ReadIntents(string path, IReadOnlyList<string> splits)
    {
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return IntentEvaluation.ReadCategories(path);
            }
            catch (CsvFormatException ex)
            {
                throw new InvalidDataException(ex.Message);
            }
        }
        using var document = Parse(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"'{path}' is not a JSON object of splits (like {{\"train\": [[text, intent], ...]}})");
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        var examples = new List<LabeledText>();
        var skipped = 0;
        foreach (var split in splits)
        {
            if (!document.RootElement.TryGetProperty(split, out var rows))
                throw new InvalidDataException($"'{path}' has no split '{split}' (it has: {string.Join(", ", names)})");
            if (rows.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"'{path}' split '{split}' is not a list");
            var i = 0;
            foreach (var row in rows.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != 2 || row[0].ValueKind != JsonValueKind.String || row[1].ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"'{path}' split '{split}' item {i}: expected [text, intent], two strings");
                var intent = row[1].GetString()!.Trim();
                if (intent.Length == 0)
                    skipped++;
                else
                    examples.Add(new LabeledText(row[0].GetString()!, intent, []));
                i++;
            }
        }
        if (examples.Count == 0)
            throw new InvalidDataException($"'{path}' holds no labelled examples in the split(s) {string.Join(", ", splits)}");
        return new CategoryFile(examples, skipped);
    }

    /// <summary>One JSON list of <c>{text, intents}</c>, or every <c>fold*.json</c> of a folder in fold order; the intents are the tags.</summary>
    public static IReadOnlyList<LabeledText> ReadTags(string path)
    {
        List<string> files;
        if (Directory.Exists(path))
        {
            files = Directory.GetFiles(path, "fold*.json").OrderBy(FoldNumber).ThenBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw new InvalidDataException($"folder '{path}' holds no fold*.json files");
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new InvalidDataException($"'{path}' does not exist");
        }
        var examples = files.SelectMany(ReadTagFile).ToList();
        if (examples.Count == 0)
            throw new InvalidDataException($"'{path}' holds no examples");
        return examples;
    }

    private static List<LabeledText> ReadTagFile(string file)
    {
        using var document = Parse(file);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"'{file}' is not a JSON list of {{\"text\", \"intents\"}} objects");
        var examples = new List<LabeledText>();
        var i = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"'{file}' item {i}: no \"text\" string");
            var tags = new List<string>();
            if (item.TryGetProperty("intents", out var intents) && intents.ValueKind != JsonValueKind.Null)
            {
                if (intents.ValueKind != JsonValueKind.Array || intents.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
                    throw new InvalidDataException($"'{file}' item {i}: \"intents\" is not a list of strings");
                tags.AddRange(intents.EnumerateArray().Select(t => t.GetString()!.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal));
            }
            examples.Add(new LabeledText(text.GetString()!, null, tags));
            i++;
        }
        return examples;
    }

    private static int FoldNumber(string file) =>
        int.TryParse(Path.GetFileNameWithoutExtension(file).AsSpan("fold".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    private static JsonDocument Parse(string path)
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"'{path}' is a directory, not a JSON file");
        if (!File.Exists(path))
            throw new InvalidDataException($"'{path}' does not exist");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            // Line and position are zero-based in JsonException; people count from one.
            throw new InvalidDataException($"'{path}' is not valid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}");
        }
    }
}
