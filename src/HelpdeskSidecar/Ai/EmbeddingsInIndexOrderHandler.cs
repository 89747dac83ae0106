using System.Text.Json.Nodes;

namespace HelpdeskSidecar.Ai;

/// <summary>
/// The embeddings API ties each vector to its input by <c>data[].index</c>, not by its place in the array, and some
/// compatible servers answer out of order; Microsoft.Extensions.AI's adapter takes the array order. This handler puts a
/// successful answer's <c>data</c> in index order before the SDK reads it, so a vector never lands on the wrong chunk.
/// </summary>
internal sealed class EmbeddingsInIndexOrderHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode || request.RequestUri?.AbsolutePath.EndsWith("/embeddings", StringComparison.Ordinal) != true)
            return response;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (TryParse(text) is not JsonObject body || body["data"] is not JsonArray data
            || data.Any(item => item?["index"] is not JsonValue index || !index.TryGetValue<int>(out _)))
        {
            response.Content = Replaced(response.Content, text);
            return response;
        }
        var ordered = data.OrderBy(item => (int)item!["index"]!).Select(item => item!.DeepClone()).ToArray();
        body["data"] = new JsonArray(ordered);
        response.Content = Replaced(response.Content, body.ToJsonString());
        return response;
    }

    /// <summary>Null for a body that is not JSON: the SDK then reports it as the answer it cannot read.</summary>
    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static StringContent Replaced(HttpContent original, string text)
    {
        var content = new StringContent(text, System.Text.Encoding.UTF8, "application/json");
        foreach (var header in original.Headers.Where(h => !h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        original.Dispose();
        return content;
    }
}
