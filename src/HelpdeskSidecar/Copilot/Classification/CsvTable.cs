using System.Text;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>Raised for a CSV file that cannot be read as the expected table; the message names the line and column.</summary>
internal sealed class CsvFormatException(string message) : Exception(message);

/// <summary>
/// A small RFC 4180 reader (quoted fields, doubled quotes, commas and newlines inside quotes) for the labelled
/// files the classifier learns from. The header row names the columns; required columns must be present.
/// </summary>
internal static class CsvTable
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path, params string[] requiredColumns)
    {
        if (Directory.Exists(path))
            throw new CsvFormatException($"'{path}' is a directory, not a CSV file");
        if (!File.Exists(path))
            throw new CsvFormatException($"file '{path}' does not exist");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, requiredColumns);
    }

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(TextReader reader, string name, params string[] requiredColumns)
    {
        var records = Records(reader).GetEnumerator();
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

    private static IEnumerable<(int Line, List<string> Fields)> Records(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var start = 1;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
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
            throw new CsvFormatException($"line {start}: a quoted field is never closed");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}
