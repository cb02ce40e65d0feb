using System.Diagnostics;
using Nova.Bench.Rag;
using Nova.Fakes;
using Nova.Services.Rag.Retrieval;
using Nova.Services.Rag.VectorStores;
using Qdrant.Client;

namespace Nova.Bench.Scenarios;

/// <summary>
/// Scenario 5: search latency and recall@10 at each corpus size, for Nova's embedded store and for
/// Qdrant (the fake, or a real one at NOVA_BENCH_QDRANT_URL), against an exact float32 scan whose
/// results are the ground truth; the memory bandwidth measured in the same run, as the floor a scan
/// can reach; and RetrievalService end to end, hybrid against dense-only.
/// </summary>
public sealed class RetrievalScenario : IBenchScenario
{
    private const int Dimensions = 384;
    private const int K = 10;

    public string Name => "retrieval";

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var report = new BenchReport(Name);
        var cores = Environment.ProcessorCount;
        var dram = options.Quick ? 256L << 20 : 1L << 30;
        report.Add($"memory read bandwidth, {dram >> 20} MiB buffer, 1 core", MemoryBandwidth.Measure(dram, 1) / 1e9, "GB/s")
            .Add($"memory read bandwidth, {dram >> 20} MiB buffer, {cores} cores", MemoryBandwidth.Measure(dram, cores) / 1e9, "GB/s");
        foreach (var size in options.Quick ? [2_000] : new[] { 10_000, 100_000 })
        {
            await MeasureAsync(report, size, options.Quick);
        }
        if (!options.Quick)
        {
            await MeasureRealShortlistAsync(report);
        }
        return report;
    }

    private static async Task MeasureAsync(BenchReport report, int size, bool quick)
    {
        var cores = Environment.ProcessorCount;
        var vectors = new SyntheticVectors(Dimensions, seed: size);
        var corpus = vectors.Corpus(size);
        var queries = vectors.Queries(corpus, quick ? 30 : 200);
        var text = new SyntheticText(seed: size);
        var texts = Enumerable.Range(0, size).Select(_ => text.Paragraph(60)).ToArray();

        var exact = new ExactSearch(corpus);
        exact.Search(queries[0], K);
        var exactMs = new List<double>();
        var truth = queries.Select(q => Timed(() => exact.Search(q, K), exactMs)).ToArray();
        report.Add($"{size:N0} chunks: exact float32 scan ({cores} threads) p50", Statistics.Median(exactMs), "ms",
            note: $"p99 {Statistics.Percentile(exactMs, 99):0.0} ms; reads {size * Dimensions * 4 / 1e6:0.#} MB per query");
        var floatBandwidth = MemoryBandwidth.Measure((long)size * Dimensions * 4, cores);
        report.Add($"{size:N0} chunks: floor of a float32 scan (bytes / bandwidth on a buffer that size)", size * Dimensions * 4 / floatBandwidth * 1000, "ms");

        await using var host = await NovaServicesHost.StartRagAsync();
        var collection = await host.CreateCollectionAsync("bench");
        var ids = await CorpusLoader.LoadAsync(host, collection, corpus, i => texts[i]);
        var rowOf = ids.Select((id, row) => (id, row)).ToDictionary(x => x.id, x => x.row);

        var embedded = host.Get<IVectorStore>();
        var clock = Stopwatch.StartNew();
        await embedded.SearchAsync(queries[0], [collection], K);
        report.Add($"{size:N0} chunks: embedded store, first search (loads the vectors from the database)", clock.Elapsed.TotalMilliseconds, "ms");
        var (embeddedMs, embeddedRecall) = await SearchAllAsync(
            async q => (await embedded.SearchAsync(q, [collection], K)).Select(h => h.ChunkId), queries, truth, rowOf);
        // From 20,000 rows the store reads sign bits (one per dimension) of every row, below that 8-bit codes.
        var scanned = size >= 20_000 ? (long)size * Dimensions / 8 : (long)size * Dimensions;
        var scanBandwidth = MemoryBandwidth.Measure(scanned, cores);
        report.Add($"{size:N0} chunks: embedded store p50", Statistics.Median(embeddedMs), "ms", size >= 100_000 ? new BenchTarget(5) : null,
                $"p99 {Statistics.Percentile(embeddedMs, 99):0.00} ms; scans {scanned / 1e6:0.#} MB of {(size >= 20_000 ? "sign bits" : "8-bit codes")} per query")
            .Add($"{size:N0} chunks: floor of the embedded scan (bytes scanned / bandwidth on a buffer that size)", scanned / scanBandwidth * 1000, "ms")
            .Add($"{size:N0} chunks: embedded store recall@{K} against the exact scan", embeddedRecall, "ratio", new BenchTarget(0.99, AtLeast: true));

        await MeasureQdrantAsync(report, size, queries, collection, truth, ids, corpus, quick);
        await MeasureRetrievalAsync(report, size, host, collection, text, quick);
    }

    private static async Task MeasureRealShortlistAsync(BenchReport report)
    {
        if (RealEmbeddingShortlist.FindReferenceDocs() is not { } docs)
        {
            report.Add("sign-bit shortlist on real MiniLM embeddings: skipped, no .NET reference documentation installed", double.NaN, "");
            return;
        }
        await using var host = await NovaServicesHost.StartRagAsync();
        var (corpus, one, five) = await RealEmbeddingShortlist.MeasureAsync(
            host.Get<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>(), docs, 5_000);
        report.Add($"real MiniLM embeddings ({corpus:N0} .NET API summaries): exact top 10 within the closest 1% by sign bits", one, "ratio")
            .Add($"real MiniLM embeddings ({corpus:N0} .NET API summaries): exact top 10 within the closest 5% (the store's shortlist)", five, "ratio",
                new BenchTarget(0.99, AtLeast: true));
    }

    private static async Task MeasureQdrantAsync(BenchReport report, int size, float[][] queries, Guid collection, int[][] truth, Guid[] ids,
        float[][] corpus, bool quick)
    {
        var url = Environment.GetEnvironmentVariable("NOVA_BENCH_QDRANT_URL");
        await using var fake = url is null ? await FakeQdrantServer.StartAsync() : null;
        using var client = fake?.CreateClient() ?? new QdrantClient(new Uri(url!));
        var name = $"nova-bench-{size}";
        var index = new QdrantSearchIndex(client, name, Microsoft.Extensions.Logging.Abstractions.NullLogger<QdrantSearchIndex>.Instance);
        await index.EnsureReadyAsync(Dimensions);
        var document = Guid.NewGuid();
        foreach (var batch in Enumerable.Range(0, size).Chunk(1_000))
        {
            // No text: this measures the dense branch alone, as the embedded store is measured.
            await index.AddAsync([.. batch.Select(i => new SearchChunk(ids[i], document, "", corpus[i]))], [collection]);
        }
        // The fake scores every point in a plain loop: fewer queries keep the run short.
        var count = fake is null ? queries.Length : Math.Min(queries.Length, quick ? 10 : 20);
        var rowOf = ids.Select((id, row) => (id, row)).ToDictionary(x => x.id, x => x.row);
        var (ms, recall) = await SearchAllAsync(
            async q => (await index.SearchAsync(null, q, [collection], K)).Select(h => h.ChunkId), queries[..count], truth[..count], rowOf);
        var which = fake is null ? "Qdrant" : "fake Qdrant (protocol only: an exact loop, not Qdrant's speed)";
        report.Add($"{size:N0} chunks: {which} p50", Statistics.Median(ms), "ms", note: $"p99 {Statistics.Percentile(ms, 99):0.0} ms, {count} queries")
            .Add($"{size:N0} chunks: {which} recall@{K} against the exact scan", recall, "ratio");
        if (fake is null)
        {
            await client.DeleteCollectionAsync(name);
        }
    }

    private static async Task MeasureRetrievalAsync(BenchReport report, int size, NovaServicesHost host, Guid collection, SyntheticText text, bool quick)
    {
        var retrieval = host.Get<RetrievalService>();
        var lexical = host.Get<Bm25Index>();
        var queries = Enumerable.Range(0, quick ? 10 : 50).Select(_ => text.Paragraph(6)).ToArray();
        await retrieval.SearchAsync(queries[0], NovaServicesHost.Admin, [collection], K, RetrievalMode.Hybrid);
        var results = new Dictionary<RetrievalMode, List<double>> { [RetrievalMode.Dense] = [], [RetrievalMode.Hybrid] = [] };
        var bm25 = new List<double>();
        foreach (var query in queries)
        {
            foreach (var (mode, times) in results)
            {
                var clock = Stopwatch.StartNew();
                await retrieval.SearchAsync(query, NovaServicesHost.Admin, [collection], K, mode);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            var lexicalClock = Stopwatch.StartNew();
            await lexical.SearchAsync(query, new HashSet<Guid> { collection }, 40);
            bm25.Add(lexicalClock.Elapsed.TotalMilliseconds);
        }
        foreach (var (mode, times) in results)
        {
            report.Add($"{size:N0} chunks: RetrievalService {mode.ToString().ToLowerInvariant()} p50 (embeds the query, searches, reads the chunks)",
                Statistics.Median(times), "ms", note: $"p99 {Statistics.Percentile(times, 99):0.0} ms");
        }
        report.Add($"{size:N0} chunks: BM25 search alone p50", Statistics.Median(bm25), "ms", note: $"p99 {Statistics.Percentile(bm25, 99):0.00} ms");
    }

    private static async Task<(List<double> Ms, double Recall)> SearchAllAsync(Func<float[], Task<IEnumerable<Guid>>> search, float[][] queries, int[][] truth,
        Dictionary<Guid, int> rowOf)
    {
        var ms = new List<double>();
        var found = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            var hits = await search(queries[i]);
            ms.Add(clock.Elapsed.TotalMilliseconds);
            found += hits.Count(h => truth[i].Contains(rowOf[h]));
        }
        return (ms, found / (double)(queries.Length * K));
    }

    private static T Timed<T>(Func<T> action, List<double> times)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        times.Add(clock.Elapsed.TotalMilliseconds);
        return result;
    }
}
