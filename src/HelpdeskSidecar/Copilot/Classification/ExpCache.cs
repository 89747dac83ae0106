namespace HelpdeskSidecar.Copilot.Classification;

// TEMPORARY experiment cache (HS_EMB_CACHE); not to be committed.
internal sealed class ExpCache(ISentenceEncoder inner, string dir) : ISentenceEncoder
{
    private readonly Dictionary<string, float[]> _map = Load(Path.Combine(dir, inner.Name + ".bin"));

    public string Name => inner.Name;

    private static Dictionary<string, float[]> Load(string file)
    {
        var map = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (!File.Exists(file))
            return map;
        using var r = new BinaryReader(File.OpenRead(file));
        while (r.BaseStream.Position < r.BaseStream.Length)
        {
            var t = r.ReadString();
            var n = r.ReadInt32();
            var v = new float[n];
            for (var i = 0; i < n; i++)
                v[i] = r.ReadSingle();
            map[t] = v;
        }
        return map;
    }

    public float[][] Encode(IReadOnlyList<string> texts)
    {
        var missing = texts.Where(t => !_map.ContainsKey(t)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var vectors = inner.Encode(missing);
            Directory.CreateDirectory(dir);
            using var w = new BinaryWriter(File.Open(Path.Combine(dir, inner.Name + ".bin"), FileMode.Append));
            for (var i = 0; i < missing.Count; i++)
            {
                _map[missing[i]] = vectors[i];
                w.Write(missing[i]);
                w.Write(vectors[i].Length);
                foreach (var f in vectors[i])
                    w.Write(f);
            }
        }
        return texts.Select(t => _map[t]).ToArray();
    }
}
