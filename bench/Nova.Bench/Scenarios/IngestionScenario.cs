using System.Collections.Concurrent;
using System.Diagnostics;
using Nova.Bench.Rag;
using Nova.Fakes;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.Bench.Scenarios;

/// <summary>
/// Scenario 6: a large generated PDF, and a DOCX of the same text (a section per PDF page), uploaded
/// through DocumentService and ingested end to end by Nova's queue (parse, chunk, embed with MiniLM,
/// index into SQLite, the embedded vector store and BM25). The share of each stage comes from the
/// progress events the pipeline publishes as it moves from one stage to the next.
/// </summary>
public sealed class IngestionScenario : IBenchScenario
{
    public string Name => "ingestion";

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var pages = options.Quick ? 5 : 200;
        var text = new SyntheticText(seed: 6);
        // About 300 words a page, in lines that fit an A4 page.
        var content = Enumerable.Range(0, pages).Select(_ => text.Lines(25, 80)).ToArray();
        var report = new BenchReport(Name);
        await using var host = await NovaServicesHost.StartRagAsync();
        var collection = await host.CreateCollectionAsync("bench");

        var pdf = TestFiles.Pdf(content);
        await IngestAsync(report, host, collection, pdf, $"{pages}-page PDF", "report.pdf", pages);
        var docx = TestFiles.Docx(content.Select((lines, i) => ($"Page {i + 1}", lines)));
        await IngestAsync(report, host, collection, docx, $"DOCX of the same text ({pages} page-sized sections)", "report.docx", pages);
        return report;
    }

    private static async Task IngestAsync(BenchReport report, NovaServicesHost host, Guid collection, byte[] file, string name, string fileName, int pages)
    {
        var events = new ConcurrentQueue<(DocumentProgress Progress, long At)>();
        var ready = new TaskCompletionSource<DocumentProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(DocumentProgress p)
        {
            events.Enqueue((p, Stopwatch.GetTimestamp()));
            if (p.Status is DocumentStatus.Ready or DocumentStatus.Failed)
            {
                ready.TrySetResult(p);
            }
        }
        var ingestion = host.Get<IngestionEvents>();
        ingestion.Changed += OnChanged;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var document = await host.Get<DocumentService>().UploadAsync(NovaServicesHost.Admin, new MemoryStream(file), fileName, [collection]);
            var end = await ready.Task.WaitAsync(TimeSpan.FromMinutes(20));
            var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (end.Status == DocumentStatus.Failed)
            {
                throw new InvalidOperationException($"{name} failed: {end.FailureReason}");
            }
            var mine = events.Where(e => e.Progress.DocumentId == document.Id).ToList();
            long First(DocumentStatus status) => mine.First(e => e.Progress.Status == status).At;
            var embeddingEnd = mine.Last(e => e.Progress.Status == DocumentStatus.Embedding).At;
            var stages = new (string Stage, long From, long To)[]
            {
                ("upload and queue", started, First(DocumentStatus.Parsing)),
                ("parse", First(DocumentStatus.Parsing), First(DocumentStatus.Chunking)),
                ("chunk", First(DocumentStatus.Chunking), First(DocumentStatus.Embedding)),
                ("embed", First(DocumentStatus.Embedding), embeddingEnd),
                ("index (database, vectors, BM25)", embeddingEnd, First(DocumentStatus.Ready)),
            };
            var chunks = (await host.Get<DocumentService>().GetAsync(NovaServicesHost.Admin, document.Id))!.ChunkCount;
            report.Add($"{name}: pages per second, end to end", pages / total, "pages/s",
                note: $"{total:0.0} s for {file.Length / 1024:N0} KiB, {chunks} chunks");
            foreach (var (stage, from, to) in stages)
            {
                var seconds = Stopwatch.GetElapsedTime(from, to).TotalSeconds;
                report.Add($"{name}: {stage}", seconds / total * 100, "% of time", note: $"{seconds:0.00} s");
            }
            report.Add($"{name}: embedding throughput", chunks / Stopwatch.GetElapsedTime(First(DocumentStatus.Embedding), embeddingEnd).TotalSeconds, "chunks/s");
        }
        finally
        {
            ingestion.Changed -= OnChanged;
        }
    }
}
