using System.Runtime.InteropServices;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>How a chunk's float32 vector is stored in SQLite (<c>chunks.embedding</c>): its raw little-endian bytes.</summary>
internal static class DenseVectorStore
{
    public static float[] ToVector(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    public static byte[] ToBlob(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();
}
