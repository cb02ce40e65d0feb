using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Background ingestion with bounded concurrency (<c>Nova:Rag:IngestionConcurrency</c> workers on a
/// channel). At start, documents a crash caught mid-way are reset and queued again, and queued ones
/// are resumed. A document is processed by one worker at a time, and deletion waits for it.
/// </summary>
public sealed class IngestionQueue(
    IDbContextFactory<NovaDbContext> contexts,
    DocumentIngestor ingestor,
    IOptions<RagOptions> options,
    TimeProvider time,
    ILogger<IngestionQueue> logger) : BackgroundService
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<Guid, byte> _queued = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly DocumentLocks _locks = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once recovery has run and workers are taking documents.</summary>
    public Task Started => _started.Task;

    /// <summary>Queues a document; a document already waiting is not queued twice.</summary>
    public void Enqueue(Guid documentId)
    {
        if (_queued.TryAdd(documentId, 0))
        {
            _channel.Writer.TryWrite(documentId);
        }
    }

    public bool IsQueuedOrRunning(Guid documentId) => _queued.ContainsKey(documentId) || _running.ContainsKey(documentId);

    /// <summary>Documents whose lock is held or awaited now; zero when nothing is being worked on.</summary>
    internal int HeldDocumentLocks => _locks.Count;

    /// <summary>
    /// Stops any work on the document and holds it while <paramref name="action"/> runs, so that no
    /// worker writes to its indexes meanwhile.
    /// </summary>
    public async Task WithDocumentHeldAsync(Guid documentId, Func<Task> action, CancellationToken cancellationToken = default)
    {
        if (_running.TryGetValue(documentId, out var running))
        {
            await running.CancelAsync();
        }
        using (await _locks.AcquireAsync(documentId, cancellationToken))
        {
            await action();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RecoverAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not recover interrupted ingestion; new documents are still processed");
        }
        var workers = Enumerable.Range(0, options.Value.IngestionConcurrency).Select(_ => WorkAsync(stoppingToken)).ToList();
        _started.TrySetResult();
        await Task.WhenAll(workers);
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var interrupted = await db.Set<Document>()
            .Where(d => d.Status == DocumentStatus.Parsing || d.Status == DocumentStatus.Chunking || d.Status == DocumentStatus.Embedding)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DocumentStatus.Uploaded).SetProperty(d => d.Progress, 0)
                .SetProperty(d => d.UpdatedAt, now), cancellationToken);
        if (interrupted > 0)
        {
            logger.LogInformation("Re-queuing {Count} documents interrupted by a restart", interrupted);
        }
        var waiting = await db.Set<Document>().Where(d => d.Status == DocumentStatus.Uploaded)
            .OrderBy(d => d.Id).Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (var id in waiting)
        {
            Enqueue(id);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var documentId in _channel.Reader.ReadAllAsync(stoppingToken))
            {
                _queued.TryRemove(documentId, out _);
                await ProcessOneAsync(documentId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is in flight stays in progress and is recovered at the next start.
        }
    }

    private async Task ProcessOneAsync(Guid documentId, CancellationToken stoppingToken)
    {
        using var held = await _locks.AcquireAsync(documentId, stoppingToken);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[documentId] = cancellation;
        try
        {
            await ingestor.ProcessAsync(documentId, cancellation.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Ingestion of document {DocumentId} was cancelled", documentId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Ingestion of document {DocumentId} crashed", documentId);
        }
        finally
        {
            _running.TryRemove(documentId, out _);
        }
    }
}
