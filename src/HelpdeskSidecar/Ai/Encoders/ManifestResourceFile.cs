using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace HelpdeskSidecar.Ai.Encoders;

/// <summary>
/// Reads a manifest resource straight out of a DLL file, without loading the assembly: loading it would map its 90 MB
/// image into the process for good (an assembly in the default context never unloads), on top of the copy the ONNX
/// runtime keeps. The resource is read once, handed to the runtime, and dropped.
/// </summary>
internal static class ManifestResourceFile
{
    public static byte[] Read(string assemblyPath, string resourceName)
    {
        using var file = new FileStream(assemblyPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        long offset;
        using (var pe = new PEReader(file, PEStreamOptions.LeaveOpen | PEStreamOptions.PrefetchMetadata))
        {
            var metadata = pe.GetMetadataReader();
            var found = metadata.ManifestResources.Select(metadata.GetManifestResource)
                .Where(r => r.Implementation.IsNil && metadata.StringComparer.Equals(r.Name, resourceName))
                .Select(r => (long?)r.Offset).FirstOrDefault();
            if (found is not { } resourceOffset)
                throw new InvalidDataException($"'{Path.GetFileName(assemblyPath)}' holds no resource '{resourceName}'.");
            var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? throw new InvalidDataException($"'{Path.GetFileName(assemblyPath)}' is not a .NET assembly.");
            if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var directoryOffset))
                throw new InvalidDataException($"'{Path.GetFileName(assemblyPath)}' has no resources section.");
            offset = directoryOffset + resourceOffset;
        }
        // Each resource is a 4-byte little-endian length followed by its bytes.
        file.Position = offset;
        Span<byte> prefix = stackalloc byte[4];
        file.ReadExactly(prefix);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 0 || offset + 4 + length > file.Length)
            throw new InvalidDataException($"Resource '{resourceName}' in '{Path.GetFileName(assemblyPath)}' is damaged.");
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        file.ReadExactly(bytes);
        return bytes;
    }
}
