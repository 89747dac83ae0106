using System.Collections.Concurrent;
using System.Numerics.Tensors;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;

namespace HelpdeskSidecar.Ai.Encoders;

/// <summary>
/// One ONNX sentence encoder for the whole process: the model read from its package's manifest resource, one
/// <see cref="InferenceSession"/> (whose <c>Run</c> is thread-safe), a WordPiece tokenizer over the model's vocabulary.
/// Texts are tokenized (truncated at the model's limit), sorted by length and run in batches padded to their longest
/// member, pooled (CLS or mean) and L2-normalised.
/// </summary>
internal sealed class OnnxSentenceEncoder : IDisposable
{
    /// <summary>Texts per model call: larger batches pad more, smaller ones pay the call overhead more often.</summary>
    public const int BatchSize = 16;

    private static readonly ConcurrentDictionary<string, Lazy<OnnxSentenceEncoder>> Loaded = new(StringComparer.Ordinal);

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly Lock _tokenizerGate = new();
    private readonly bool _takesTokenTypes;
    private readonly string _outputName;

    private OnnxSentenceEncoder(SentenceEncoderModel model, InferenceSession session, BertTokenizer tokenizer)
    {
        Model = model;
        _session = session;
        _tokenizer = tokenizer;
        _takesTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        _outputName = session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputMetadata.Keys.First();
    }

    public SentenceEncoderModel Model { get; }

    /// <summary>The process's encoder for the model, loaded on first use (a second caller waits for the first load).</summary>
    public static OnnxSentenceEncoder For(SentenceEncoderModel model) =>
        Loaded.GetOrAdd(model.Name, _ => new Lazy<OnnxSentenceEncoder>(() => Load(model), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static OnnxSentenceEncoder Load(SentenceEncoderModel model)
    {
        var path = Path.Combine(AppContext.BaseDirectory, model.AssemblyFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The sentence encoder '{model.Name}' needs '{model.AssemblyFile}' beside the application.", path);
        var tokenizer = new BertTokenizer();
        using (var vocabulary = new StreamReader(new MemoryStream(ManifestResourceFile.Read(path, model.ResourcePrefix + "vocab.txt"))))
            tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // ONNX Runtime's worker threads spin between operators by default: in a web host sharing its cores with requests,
        // jobs and SQLite, that burns CPU the others need. Waiting threads sleep instead.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        var session = new InferenceSession(ManifestResourceFile.Read(path, model.ResourcePrefix + "model.onnx"), options);
        return new OnnxSentenceEncoder(model, session, tokenizer);
    }

    /// <summary>Unit vectors of <see cref="SentenceEncoderModel.Dimensions"/> floats, in input order.</summary>
    public float[][] Encode(IReadOnlyList<string> texts, bool asQueries, CancellationToken ct)
    {
        var max = Model.MaxTokens;
        var ids = new long[texts.Count][];
        var lengths = new int[texts.Count];
        var mask = new long[max];
        lock (_tokenizerGate)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var text = asQueries && Model.QueryPrefix.Length > 0 ? Model.QueryPrefix + texts[i] : texts[i];
                var buffer = new long[max];
                // Truncates at the model's limit and still ends with [SEP].
                lengths[i] = _tokenizer.Encode(text ?? "", buffer, mask, padTo: null);
                ids[i] = buffer;
            }
        }
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => lengths[i]).ToArray();
        var result = new float[texts.Count][];
        foreach (var batch in order.Chunk(BatchSize))
        {
            ct.ThrowIfCancellationRequested();
            var vectors = Run(batch.Select(i => (ids[i], lengths[i])).ToArray());
            for (var j = 0; j < batch.Length; j++)
                result[batch[j]] = vectors[j];
        }
        return result;
    }

    private float[][] Run((long[] Ids, int Length)[] batch)
    {
        var rows = batch.Length;
        var width = Math.Max(1, batch.Max(b => b.Length));
        var inputIds = new long[rows * width];
        var attention = new long[rows * width];
        for (var r = 0; r < rows; r++)
        {
            batch[r].Ids.AsSpan(0, batch[r].Length).CopyTo(inputIds.AsSpan(r * width));
            attention.AsSpan(r * width, batch[r].Length).Fill(1);
        }
        long[] shape = [rows, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(attention, shape);
        using var typesValue = _takesTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[rows * width], shape) : null;
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
        if (typesValue is not null)
            inputs["token_type_ids"] = typesValue;
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputs, [_outputName]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var dims = Model.Dimensions;
        var vectors = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var vector = new float[dims];
            var tokens = hidden.Slice(r * width * dims, width * dims);
            if (Model.Pooling == Pooling.Cls)
            {
                tokens[..dims].CopyTo(vector);
            }
            else
            {
                for (var t = 0; t < batch[r].Length; t++)
                    TensorPrimitives.Add(vector, tokens.Slice(t * dims, dims), vector);
                TensorPrimitives.Divide(vector, Math.Max(1, batch[r].Length), vector);
            }
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0 && float.IsFinite(norm))
                TensorPrimitives.Divide(vector, norm, vector);
            vectors[r] = vector;
        }
        return vectors;
    }

    public void Dispose() => _session.Dispose();
}
