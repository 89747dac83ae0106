using System.Text;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>Raised for a CSV file that cannot be read as the expected table; the message names the line and column.</summary>
internal sealed class CsvFormatException(string message) : Exception(message);

/// <summary>
/// A small RFC 4180 reader (quoted fields, doubled quotes, commas and newlines inside quotes) for the labelled
/// files the classifier learns from. The header row names the columns; required columns must be present.
/// A quote left open swallows the rows after it; <see cref="CsvQuotes.Strict"/> refuses text after a closing quote
/// (<c>"a,b\n"next",c</c>), which is how such a quote usually shows, naming the line where it opened.
/// </summary>
internal static class CsvTable
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path, params string[] requiredColumns) =>
        Read(path, CsvQuotes.Lenient, requiredColumns);

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path, CsvQuotes quotes, params string[] requiredColumns)
    {
        if (Directory.Exists(path))
            throw new CsvFormatException($"'{path}' is a directory, not a CSV file");
        if (!File.Exists(path))
            throw new CsvFormatException($"file '{path}' does not exist");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, quotes, requiredColumns);
    }

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(TextReader reader, string name, params string[] requiredColumns) =>
        Read(reader, name, CsvQuotes.Lenient, requiredColumns);

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(TextReader reader, string name, CsvQuotes quotes, params string[] requiredColumns)
    {
        var records = Records(reader, name, quotes).GetEnumerator();
        if (!records.MoveNext())
            throw new CsvFormatException($"'{name}' is empty; expected a header with the columns {string.Join(",", requiredColumns)}");
        var header = records.Current.Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        foreach (var column in requiredColumns)
        {
            if (!header.Contains(column))
                throw new CsvFormatException($"'{name}' has no column '{column}' (header: '{Hosting.Excerpt.Of(string.Join(",", header))}')");
        }
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields.Count == 1 && fields[0].Length == 0)
                continue; // blank line
            if (fields.Count != header.Length)
                throw new CsvFormatException($"'{name}' line {line}: {fields.Count} fields where the header has {header.Length}");
            var row = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
                row[header[i]] = fields[i];
            rows.Add(row);
        }
        return rows;
    }

    private static IEnumerable<(int Line, List<string> Fields)> Records(TextReader reader, string name, CsvQuotes quotes)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var justClosed = false;
        var line = 1;
        var start = 1;
        var opened = 1;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (justClosed && quotes == CsvQuotes.Strict && ch is not (',' or '\r' or '\n'))
            {
                throw new CsvFormatException(
                    $"'{name}' line {opened}: the quote opened on this line closes on line {line} with text after it; is a closing quote missing?");
            }
            justClosed = false;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        field.Append('"');
                        reader.Read();
                    }
                    else
                    {
                        quoted = false;
                        justClosed = true;
                    }
                }
                else
                {
                    if (ch == '\n')
                        line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    opened = line;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (start, fields);
                    fields = [];
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (quoted)
            throw new CsvFormatException($"'{name}' line {opened}: the quote opened on this line is never closed");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}

internal enum CsvQuotes
{
    /// <summary>Text after a closing quote is kept (<c>"a"b</c> reads as <c>ab</c>), as in some public datasets.</summary>
    Lenient,

    /// <summary>Text after a closing quote is an error: the quote that opened the field was probably never closed.</summary>
    Strict,
}
