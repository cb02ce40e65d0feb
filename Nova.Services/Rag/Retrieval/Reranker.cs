using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Nova.Services.Rag.Retrieval;

/// <summary>Scores passages against a query; higher is more relevant.</summary>
public interface IReranker
{
    /// <summary>One score per text, in input order.</summary>
    Task<IReadOnlyList<float>> RerankAsync(string query, IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}

/// <summary>Client for TEI's <c>POST /rerank</c> ({query, texts} → [{index, score}]), e.g. a BGE reranker.</summary>
public sealed class TeiReranker(HttpClient http) : IReranker
{
    public async Task<IReadOnlyList<float>> RerankAsync(string query, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        if (texts.Count == 0)
        {
            return [];
        }
        using var response = await http.PostAsJsonAsync("rerank", new RerankRequest(query, texts, Truncate: true), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The reranker answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
        var results = await response.Content.ReadFromJsonAsync<List<RerankResult>>(cancellationToken)
                      ?? throw new HttpRequestException("The reranker answered with an empty body.");
        var scores = new float[texts.Count];
        Array.Fill(scores, float.NegativeInfinity);
        foreach (var result in results)
        {
            if (result.Index < 0 || result.Index >= texts.Count)
            {
                throw new HttpRequestException($"The reranker answered with index {result.Index} for {texts.Count} texts.");
            }
            scores[result.Index] = result.Score;
        }
        return scores;
    }

    private sealed record RerankRequest(
        [property: JsonPropertyName("query")] string Query,
        [property: JsonPropertyName("texts")] IReadOnlyList<string> Texts,
        [property: JsonPropertyName("truncate")] bool Truncate);

    private sealed record RerankResult(
        [property: JsonPropertyName("index")] int Index,
        [property: JsonPropertyName("score")] float Score);
}
