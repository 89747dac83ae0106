using System.Buffers;

namespace HelpdeskSidecar.Ingestion;

/// <summary>Reads a request body as raw bytes (signatures are over the exact bytes), refusing more than a limit.</summary>
internal static class WebhookBody
{
    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/>.</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
            return null;
        var initial = (int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                    break;
                length += read;
                if (length > maxBytes)
                    return null;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// JSON is UTF-8; the serializer does not look inside fields it skips, and the raw body is what is stored, so the
    /// whole body is checked once.
    /// </summary>
    public static bool IsUtf8(ReadOnlySpan<byte> body) => System.Text.Unicode.Utf8.IsValid(body);
}
