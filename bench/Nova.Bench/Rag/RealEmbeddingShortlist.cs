using System.Numerics;
using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Nova.Bench.Rag;

/// <summary>
/// How well sign bits shortlist real MiniLM embeddings, which crowd into one side of the sphere (their
/// mean has a norm near 0.4) where the synthetic vectors spread evenly: the API summaries of the .NET
/// reference documentation installed with the SDK, embedded by Nova's pipeline. For held-out summaries
/// as queries, the share of each one's exact top 10 that falls within the closest 1% and 5% of the corpus
/// by Hamming distance of the sign bits (the embedded store shortlists 5%).
/// </summary>
public static partial class RealEmbeddingShortlist
{
    private const int Queries = 200;

    /// <summary>System.Runtime's XML documentation from the SDK's reference pack, or null when it is not installed.</summary>
    public static string? FindReferenceDocs()
    {
        // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/packs/Microsoft.NETCore.App.Ref/<version>/ref/<tfm>/System.Runtime.xml
        var root = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!).Parent?.Parent?.Parent;
        var packs = root is null ? null : Path.Combine(root.FullName, "packs", "Microsoft.NETCore.App.Ref");
        return packs is not null && Directory.Exists(packs)
            ? Directory.GetFiles(packs, "System.Runtime.xml", SearchOption.AllDirectories).Order().LastOrDefault()
            : null;
    }

    public static async Task<(int Corpus, double WithinOnePercent, double WithinFivePercent)> MeasureAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, string referenceDocs, int texts)
    {
        var summaries = Summary().Matches(await File.ReadAllTextAsync(referenceDocs))
            .Select(m => WhiteSpace().Replace(Tag().Replace(m.Groups[1].Value, " "), " ").Trim())
            .Where(t => t.Length > 30).Distinct().Take(texts).ToArray();
        var vectors = new List<float[]>(summaries.Length);
        foreach (var batch in summaries.Chunk(64))
        {
            vectors.AddRange((await embeddings.GenerateAsync(batch)).Select(e => e.Vector.ToArray()));
        }
        var queries = vectors[..Queries];
        var corpus = vectors[Queries..];
        var bits = corpus.Select(SignBits).ToArray();
        var percentiles = new List<double>();
        foreach (var query in queries)
        {
            var queryBits = SignBits(query);
            var distances = bits.Select(b => Hamming(b, queryBits)).ToArray();
            var nearest = corpus.Select((v, i) => (i, Score: TensorPrimitives.Dot(query, v))).OrderByDescending(x => x.Score).Take(10);
            percentiles.AddRange(nearest.Select(n => distances.Count(d => d < distances[n.i]) / (double)corpus.Count));
        }
        return (corpus.Count, percentiles.Count(p => p < 0.01) / (double)percentiles.Count, percentiles.Count(p => p < 0.05) / (double)percentiles.Count);
    }

    private static ulong[] SignBits(float[] vector)
    {
        var bits = new ulong[(vector.Length + 63) / 64];
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                bits[i >> 6] |= 1UL << (i & 63);
            }
        }
        return bits;
    }

    private static int Hamming(ulong[] a, ulong[] b) => a.Zip(b, (x, y) => BitOperations.PopCount(x ^ y)).Sum();

    [GeneratedRegex("<summary>(.*?)</summary>", RegexOptions.Singleline)]
    private static partial Regex Summary();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
