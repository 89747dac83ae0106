namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>A feature vector as parallel arrays of hashed indices (distinct) and values.</summary>
internal readonly record struct SparseVector(int[] Indices, float[] Values)
{
    public int Count => Indices.Length;
}
