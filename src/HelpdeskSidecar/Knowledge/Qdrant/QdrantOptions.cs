namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary><c>Sidecar:Knowledge:Qdrant</c>: where the scale-out index lives. Used when <c>Sidecar:Knowledge:Index</c> is Qdrant.</summary>
public sealed class QdrantOptions
{
    /// <summary>Qdrant's gRPC endpoint, e.g. http://qdrant:6334 (plaintext HTTP/2) or https://qdrant.example:6334 (TLS).</summary>
    public string? Url { get; set; }

    /// <summary>Sent as the <c>api-key</c> metadata of every call; never logged.</summary>
    public string? ApiKey { get; set; }

    public string Collection { get; set; } = "helpdesk_chunks";

    /// <summary>Points per upsert request.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Per attempt; the resilience pipeline retries around it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
