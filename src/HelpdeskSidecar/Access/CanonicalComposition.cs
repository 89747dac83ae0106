using System.Globalization;
using System.Reflection;
using System.Text;

namespace HelpdeskSidecar.Access;

/// <summary>
/// Unicode NFC (canonical decomposition, canonical ordering, canonical composition) from a table shipped in the
/// assembly. The host runs with <c>InvariantGlobalization</c>, where <see cref="string.Normalize()"/> leaves non-ASCII
/// text as it is, so "zoë" typed as e + U+0308 would otherwise be another name than "zoë".
/// </summary>
internal static class CanonicalComposition
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28;
    private const int NCount = VCount * TCount, SCount = LCount * NCount;

    private sealed record Tables(Dictionary<int, int> Classes, Dictionary<int, int[]> Decompositions, Dictionary<(int, int), int> Compositions);

    private static readonly Lazy<Tables> Data = new(Load);

    public static string ToNfc(string text)
    {
        if (Ascii.IsValid(text))
            return text;
        var tables = Data.Value;
        var runes = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
            Decompose(rune.Value, tables, runes);
        Reorder(runes, tables);
        Compose(runes, tables);
        var builder = new StringBuilder(text.Length);
        foreach (var cp in runes)
            builder.Append(new Rune(cp).ToString());
        return builder.ToString();
    }

    private static int Class(int cp, Tables t) => t.Classes.GetValueOrDefault(cp);

    private static void Decompose(int cp, Tables t, List<int> into)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            var s = cp - SBase;
            into.Add(LBase + s / NCount);
            into.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
                into.Add(TBase + s % TCount);
            return;
        }
        if (t.Decompositions.TryGetValue(cp, out var parts))
        {
            foreach (var part in parts)
                Decompose(part, t, into);
            return;
        }
        into.Add(cp);
    }

    /// <summary>Marks in a row are sorted by combining class, stably.</summary>
    private static void Reorder(List<int> runes, Tables t)
    {
        for (var i = 1; i < runes.Count; i++)
        {
            var c = Class(runes[i], t);
            if (c == 0)
                continue;
            for (var j = i; j > 0 && Class(runes[j - 1], t) > c; j--)
                (runes[j - 1], runes[j]) = (runes[j], runes[j - 1]);
        }
    }

    private static void Compose(List<int> runes, Tables t)
    {
        if (runes.Count == 0)
            return;
        var starter = Class(runes[0], t) == 0 ? 0 : -1;
        var lastClass = starter == 0 ? 0 : 256;
        var write = 1;
        for (var i = 1; i < runes.Count; i++)
        {
            var cp = runes[i];
            var c = Class(cp, t);
            var blocked = starter < 0 || (lastClass != 0 && lastClass >= c) || (lastClass == 0 && write - 1 != starter);
            if (!blocked && TryCompose(runes[starter], cp, t, out var composite))
            {
                runes[starter] = composite;
                continue;
            }
            if (c == 0)
                starter = write;
            lastClass = c;
            runes[write++] = cp;
        }
        runes.RemoveRange(write, runes.Count - write);
    }

    private static bool TryCompose(int first, int second, Tables t, out int composite)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
        {
            composite = SBase + ((first - LBase) * VCount + second - VBase) * TCount;
            return true;
        }
        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
        {
            composite = first + second - TBase;
            return true;
        }
        return t.Compositions.TryGetValue((first, second), out composite);
    }

    private static Tables Load()
    {
        var classes = new Dictionary<int, int>();
        var decompositions = new Dictionary<int, int[]>();
        var compositions = new Dictionary<(int, int), int>();
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("access/unicode-canonical.txt")
            ?? throw new InvalidOperationException("The Unicode table access/unicode-canonical.txt is missing from the assembly.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split(';');
            var cp = int.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var ccc = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (ccc != 0)
                classes[cp] = ccc;
            if (fields[2].Length > 0)
            {
                var parts = fields[2].Split(' ').Select(p => int.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
                decompositions[cp] = parts;
                if (fields[3] == "1")
                    compositions[(parts[0], parts[1])] = cp;
            }
        }
        return new Tables(classes, decompositions, compositions);
    }
}
