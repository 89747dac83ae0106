using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>A point as the fake keeps it: named dense and sparse vectors, and its payload.</summary>
public sealed record FakePoint(Dictionary<string, float[]> Dense, Dictionary<string, (uint[] Indices, float[] Values)> Sparse, Dictionary<string, Value> Payload);

/// <summary>
/// One in-memory collection of <see cref="FakeQdrant"/>: its vector configuration and metadata (merged on update),
/// payload indexes and points. Evaluates the filters the index sends (must/should/must_not, keyword, keywords, integer
/// matches, is_empty, nested filters), answers queries by ranking each prefetch (dense cosine; sparse dot product, times
/// Qdrant's IDF when the sparse vector has <c>modifier: Idf</c>) and fusing them by reciprocal rank.
/// </summary>
public sealed class FakeCollection
{
    /// <summary>The unnamed vector of a collection created with a single <c>VectorParams</c>.</summary>
    private const string Unnamed = "";

    internal FakeCollection(CreateCollection create)
    {
        switch (create.VectorsConfig?.ConfigCase)
        {
            case VectorsConfig.ConfigOneofCase.Params:
                DenseVectors[Unnamed] = create.VectorsConfig.Params;
                break;
            case VectorsConfig.ConfigOneofCase.ParamsMap:
                foreach (var (name, parameters) in create.VectorsConfig.ParamsMap.Map)
                    DenseVectors[name] = parameters;
                break;
        }
        foreach (var (name, parameters) in DenseVectors)
        {
            if (parameters.Size == 0)
                throw Invalid($"Wrong input: Vector `{name}` size must be greater than 0");
        }
        if (create.SparseVectorsConfig is { } sparse)
        {
            foreach (var (name, parameters) in sparse.Map)
                SparseVectors[name] = parameters;
        }
        foreach (var (key, value) in create.Metadata)
            Metadata[key] = value;
    }

    public Dictionary<string, VectorParams> DenseVectors { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SparseVectorParams> SparseVectors { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Value> Metadata { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FieldType> PayloadIndexes { get; } = new(StringComparer.Ordinal);

    public Dictionary<ulong, FakePoint> Points { get; } = [];

    public ulong Version { get; private set; }

    /// <summary>Metadata keys merge into the existing ones (other settings are not modelled and are refused).</summary>
    internal void Update(UpdateCollection update)
    {
        if (update.OptimizersConfig is not null || update.Params is not null || update.HnswConfig is not null || update.VectorsConfig is not null
            || update.QuantizationConfig is not null || update.SparseVectorsConfig is not null || update.StrictModeConfig is not null)
            throw new NotSupportedException("collection settings other than metadata");
        foreach (var (key, value) in update.Metadata)
            Metadata[key] = value;
    }

    internal CollectionInfo Info()
    {
        var parameters = new CollectionParams { ShardNumber = 1, VectorsConfig = new VectorsConfig { ParamsMap = new VectorParamsMap { Map = { DenseVectors } } } };
        if (SparseVectors.Count > 0)
            parameters.SparseVectorsConfig = new SparseVectorConfig { Map = { SparseVectors } };
        return new CollectionInfo
        {
            Status = CollectionStatus.Green,
            OptimizerStatus = new OptimizerStatus { Ok = true },
            SegmentsCount = 1,
            PointsCount = (ulong)Points.Count,
            Config = new CollectionConfig
            {
                Params = parameters,
                HnswConfig = new HnswConfigDiff { M = 16, EfConstruct = 100 },
                OptimizerConfig = new OptimizersConfigDiff(),
                WalConfig = new WalConfigDiff(),
                Metadata = { Metadata },
            },
        };
    }

    /// <summary>The whole batch is checked before any point is written, as Qdrant validates a request before applying it.</summary>
    internal void Upsert(RepeatedField<PointStruct> points)
    {
        var parsed = points.Select(p => (Id: PointNumber(p.Id), Point: Parse(p))).ToList();
        foreach (var (id, point) in parsed)
            Points[id] = point;
        Version++;
    }

    internal void Delete(PointsSelector selector)
    {
        var doomed = selector.PointsSelectorOneOfCase switch
        {
            PointsSelector.PointsSelectorOneOfOneofCase.Filter => Points.Where(p => Matches(selector.Filter, p.Key, p.Value.Payload)).Select(p => p.Key).ToList(),
            PointsSelector.PointsSelectorOneOfOneofCase.Points => selector.Points.Ids.Select(PointNumber).ToList(),
            _ => throw Invalid("Wrong input: empty points selector"),
        };
        foreach (var id in doomed)
            Points.Remove(id);
        Version++;
    }

    internal IEnumerable<ScoredPoint> RunQuery(QueryPoints request)
    {
        var limit = request.HasLimit ? (int)request.Limit : 10;
        IEnumerable<(ulong Id, double Score)> ranked;
        if (request.Prefetch.Count > 0)
        {
            if (request.Query?.VariantCase != Qdrant.Client.Grpc.Query.VariantOneofCase.Fusion || request.Query.Fusion != Fusion.Rrf)
                throw new NotSupportedException("a query over prefetches other than fusion RRF");
            var fused = new Dictionary<ulong, double>();
            foreach (var prefetch in request.Prefetch)
            {
                if (prefetch.Prefetch.Count > 0)
                    throw new NotSupportedException("nested prefetches");
                var list = Nearest(prefetch.Query, prefetch.HasUsing ? prefetch.Using : Unnamed, [prefetch.Filter, request.Filter], prefetch.HasLimit ? (int)prefetch.Limit : 10);
                for (var i = 0; i < list.Count; i++)
                    fused[list[i].Id] = fused.GetValueOrDefault(list[i].Id) + 1.0 / (60 + i + 1); // k = 60, as in the RRF paper
            }
            ranked = fused.Select(p => (p.Key, p.Value));
        }
        else
            ranked = Nearest(request.Query, request.HasUsing ? request.Using : Unnamed, [request.Filter], limit);
        return ranked.OrderByDescending(p => p.Score).ThenBy(p => p.Id).Take(limit)
            .Select(p => new ScoredPoint { Id = p.Id, Score = (float)p.Score, Version = Version });
    }

    private List<(ulong Id, double Score)> Nearest(Qdrant.Client.Grpc.Query? query, string vectorName, Filter?[] filters, int limit)
    {
        if (query?.VariantCase != Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest)
            throw new NotSupportedException($"query {query?.VariantCase}");
        var input = query.Nearest;
        IEnumerable<(ulong Id, double Score)> scored;
        if (DenseVectors.TryGetValue(vectorName, out var parameters))
        {
            if (input.VariantCase != VectorInput.VariantOneofCase.Dense)
                throw Invalid($"Wrong input: Vector `{vectorName}` is dense, the query is {input.VariantCase}");
            var vector = input.Dense.Data.ToArray();
            CheckDimension(parameters, vector.Length);
            scored = Points.Where(p => p.Value.Dense.ContainsKey(vectorName)).Select(p => (p.Key, Cosine(vector, p.Value.Dense[vectorName])));
        }
        else if (SparseVectors.TryGetValue(vectorName, out var sparse))
        {
            if (input.VariantCase != VectorInput.VariantOneofCase.Sparse)
                throw Invalid($"Wrong input: Vector `{vectorName}` is sparse, the query is {input.VariantCase}");
            var idf = sparse.HasModifier && sparse.Modifier == Modifier.Idf ? InverseDocumentFrequencies(vectorName) : null;
            var weights = input.Sparse.Indices.Zip(input.Sparse.Values).ToList();
            scored = Points.Where(p => p.Value.Sparse.ContainsKey(vectorName)).Select(p => (p.Key, Dot(weights, p.Value.Sparse[vectorName], idf)));
        }
        else
            throw Invalid($"Wrong input: Not existing vector name error: {vectorName}");
        return scored
            .Where(p => filters.All(f => f is null || Matches(f, p.Id, Points[p.Id].Payload)) && p.Score > 0)
            .OrderByDescending(p => p.Score).ThenBy(p => p.Id)
            .Take(limit).ToList();
    }

    private FakePoint Parse(PointStruct point)
    {
        var named = point.Vectors?.VectorsOptionsCase switch
        {
            Vectors.VectorsOptionsOneofCase.Vector => new Dictionary<string, Vector> { [Unnamed] = point.Vectors.Vector },
            Vectors.VectorsOptionsOneofCase.Vectors_ => point.Vectors.Vectors_.Vectors.ToDictionary(v => v.Key, v => v.Value),
            _ => [],
        };
        var parsed = new FakePoint(new(StringComparer.Ordinal), new(StringComparer.Ordinal), point.Payload.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        foreach (var (name, vector) in named)
        {
            if (DenseVectors.TryGetValue(name, out var parameters))
            {
                var data = vector.VectorCase == Vector.VectorOneofCase.Dense ? vector.Dense.Data.ToArray()
                    : vector.VectorCase == Vector.VectorOneofCase.None ? throw new NotSupportedException("the deprecated vector form (data, indices)")
                    : throw Invalid($"Wrong input: Conversion between sparse and regular vectors failed for `{name}`");
                CheckDimension(parameters, data.Length);
                parsed.Dense[name] = data;
            }
            else if (SparseVectors.ContainsKey(name))
            {
                var (indices, values) = vector.VectorCase == Vector.VectorOneofCase.Sparse ? (vector.Sparse.Indices.ToArray(), vector.Sparse.Values.ToArray())
                    : vector.VectorCase == Vector.VectorOneofCase.None ? throw new NotSupportedException("the deprecated vector form (data, indices)")
                    : throw Invalid($"Wrong input: Conversion between sparse and regular vectors failed for `{name}`");
                if (indices.Length != values.Length || indices.Distinct().Count() != indices.Length)
                    throw Invalid($"Validation error in JSON body: [points[].vectors.{name}: must be the same length as indices, indices must be unique]");
                parsed.Sparse[name] = (indices, values);
            }
            else
                throw Invalid($"Wrong input: Not existing vector name error: {name}");
        }
        return parsed;
    }

    private static void CheckDimension(VectorParams parameters, int length)
    {
        if ((ulong)length != parameters.Size)
            throw Invalid($"Wrong input: Vector dimension error: expected dim: {parameters.Size}, got {length}");
    }

    private static ulong PointNumber(PointId id) =>
        id.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num ? id.Num : throw new NotSupportedException("UUID point ids");

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    /// <summary>
    /// Qdrant's IDF for <c>modifier: Idf</c>, over every point of the collection that has the vector (not only the
    /// filtered ones): ln(1 + (N − n + 0.5) / (n + 0.5)), n the points holding the index.
    /// </summary>
    private Dictionary<uint, double> InverseDocumentFrequencies(string vectorName)
    {
        var vectors = Points.Values.Where(p => p.Sparse.ContainsKey(vectorName)).Select(p => p.Sparse[vectorName]).ToList();
        return vectors.SelectMany(v => v.Indices).CountBy(i => i)
            .ToDictionary(c => c.Key, c => Math.Log(1 + (vectors.Count - c.Value + 0.5) / (c.Value + 0.5)));
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static double Dot(List<(uint First, float Second)> query, (uint[] Indices, float[] Values) vector, Dictionary<uint, double>? idf)
    {
        var weights = vector.Indices.Zip(vector.Values).ToDictionary(p => p.First, p => (double)p.Second);
        return query.Sum(q => weights.GetValueOrDefault(q.First) * q.Second * (idf is null ? 1 : idf.GetValueOrDefault(q.First)));
    }

    internal static bool Matches(Filter filter, ulong id, IReadOnlyDictionary<string, Value> payload)
    {
        if (filter.MinShould is not null)
            throw new NotSupportedException("min_should");
        return filter.Must.All(c => Condition(c, id, payload))
            && (filter.Should.Count == 0 || filter.Should.Any(c => Condition(c, id, payload)))
            && !filter.MustNot.Any(c => Condition(c, id, payload));
    }

    private static bool Condition(Condition condition, ulong id, IReadOnlyDictionary<string, Value> payload) => condition.ConditionOneOfCase switch
    {
        Qdrant.Client.Grpc.Condition.ConditionOneOfOneofCase.Filter => Matches(condition.Filter, id, payload),
        Qdrant.Client.Grpc.Condition.ConditionOneOfOneofCase.IsEmpty =>
            !payload.TryGetValue(condition.IsEmpty.Key, out var value) || value.KindCase == Value.KindOneofCase.NullValue
            || value is { KindCase: Value.KindOneofCase.ListValue, ListValue.Values.Count: 0 },
        Qdrant.Client.Grpc.Condition.ConditionOneOfOneofCase.HasId => condition.HasId.HasId.Any(h => h.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num && h.Num == id),
        Qdrant.Client.Grpc.Condition.ConditionOneOfOneofCase.Field when condition.Field.Match is { } match =>
            payload.TryGetValue(condition.Field.Key, out var field) && Values(field).Any(v => Match(match, v)),
        _ => throw new NotSupportedException($"condition {condition}"),
    };

    /// <summary>A list payload value matches when one of its elements does.</summary>
    private static IEnumerable<Value> Values(Value value) => value.KindCase == Value.KindOneofCase.ListValue ? value.ListValue.Values : [value];

    private static bool Match(Match match, Value value) => match.MatchValueCase switch
    {
        Qdrant.Client.Grpc.Match.MatchValueOneofCase.Keyword => value.KindCase == Value.KindOneofCase.StringValue && value.StringValue == match.Keyword,
        Qdrant.Client.Grpc.Match.MatchValueOneofCase.Keywords => value.KindCase == Value.KindOneofCase.StringValue && match.Keywords.Strings.Contains(value.StringValue),
        Qdrant.Client.Grpc.Match.MatchValueOneofCase.ExceptKeywords => value.KindCase == Value.KindOneofCase.StringValue && !match.ExceptKeywords.Strings.Contains(value.StringValue),
        Qdrant.Client.Grpc.Match.MatchValueOneofCase.Integer => value.KindCase == Value.KindOneofCase.IntegerValue && value.IntegerValue == match.Integer,
        Qdrant.Client.Grpc.Match.MatchValueOneofCase.Integers => value.KindCase == Value.KindOneofCase.IntegerValue && match.Integers.Integers.Contains(value.IntegerValue),
        Qdrant.Client.Grpc.Match.MatchValueOneofCase.Boolean => value.KindCase == Value.KindOneofCase.BoolValue && value.BoolValue == match.Boolean,
        _ => throw new NotSupportedException($"match {match}"),
    };
}
