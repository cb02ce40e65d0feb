using System.Text;

namespace Nova.Services.Rag.Retrieval;

/// <summary>
/// Words as a sparse vector, for a search engine that stores them next to the embedding and applies the inverse
/// document frequency itself (Qdrant's <c>Modifier.Idf</c>). Each <see cref="LexicalTokenizer"/> token becomes the
/// 32-bit FNV-1a hash of its UTF-8 bytes: stable across processes and versions, so every replica writes and asks for
/// the same ids. Two words sharing a hash count as one; at 32 bits that is rare and only adds a little noise.
/// A chunk's weights are BM25's term-frequency part (k1 = 1.2, b = 0.75) against a fixed average length, since no
/// replica knows the live average; a query's are 1 per distinct word, so the dot product is the BM25 sum.
/// </summary>
public static class LexicalTerms
{
    private const float K1 = 1.2f;
    private const float B = 0.75f;

    /// <summary>The average chunk length, in tokens, that length normalization assumes (as fastembed's BM25 does).</summary>
    public const float AverageLength = 256f;

    public static (uint[] Indices, float[] Values) OfChunk(string text)
    {
        var frequencies = new Dictionary<uint, int>();
        var length = 0;
        foreach (var token in LexicalTokenizer.Tokenize(text))
        {
            var id = Hash(token);
            frequencies[id] = frequencies.GetValueOrDefault(id) + 1;
            length++;
        }
        var norm = K1 * (1 - B + B * length / AverageLength);
        return ([.. frequencies.Keys], [.. frequencies.Values.Select(f => f * (K1 + 1) / (f + norm))]);
    }

    public static (uint[] Indices, float[] Values) OfQuery(string text)
    {
        uint[] ids = [.. LexicalTokenizer.Tokenize(text).Select(Hash).Distinct()];
        return (ids, [.. ids.Select(_ => 1f)]);
    }

    public static uint Hash(string token)
    {
        const uint offset = 2166136261;
        const uint prime = 16777619;
        var hash = offset;
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            hash = (hash ^ b) * prime;
        }
        return hash;
    }
}
