using System.Numerics.Tensors;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>
/// Each chunk's vector as searched: its own (as stored) plus <c>weight</c> × its article's mean, renormalised, so a
/// passage is found through its document's topic too. Done when vectors are read (the snapshot, the Qdrant push), not
/// when stored: a chunk whose text is unchanged keeps its stored vector even when its siblings change.
/// </summary>
internal static class ArticleContext
{
    /// <summary>Streams <paramref name="chunks"/> (grouped by article), holding one article's chunks at a time; the vectors are modified in place.</summary>
    public static IEnumerable<T> Blend<T>(IEnumerable<T> chunks, Func<T, long> articleOf, Func<T, float[]?> vectorOf, float weight)
    {
        var article = new List<T>();
        long? current = null;
        foreach (var chunk in chunks)
        {
            if (articleOf(chunk) != current && article.Count > 0)
            {
                BlendOne(article, vectorOf, weight);
                foreach (var done in article)
                    yield return done;
                article.Clear();
            }
            current = articleOf(chunk);
            article.Add(chunk);
        }
        BlendOne(article, vectorOf, weight);
        foreach (var done in article)
            yield return done;
    }

    private static void BlendOne<T>(List<T> article, Func<T, float[]?> vectorOf, float weight)
    {
        if (article.Count < 2 || weight <= 0)
            return;
        float[]? mean = null;
        foreach (var chunk in article)
        {
            if (vectorOf(chunk) is not { } vector)
                continue;
            mean ??= new float[vector.Length];
            if (vector.Length == mean.Length)
                TensorPrimitives.Add(mean, vector, mean);
        }
        if (mean is null || !Normalize(mean))
            return;
        foreach (var chunk in article)
        {
            if (vectorOf(chunk) is { } vector && vector.Length == mean.Length)
            {
                TensorPrimitives.MultiplyAdd(mean, weight, vector, vector);
                Normalize(vector);
            }
        }
    }

    private static bool Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm <= 0 || float.IsNaN(norm))
            return false;
        TensorPrimitives.Divide(vector, norm, vector);
        return true;
    }
}
