using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Hosting.Replicas;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Background ingestion with bounded concurrency (<c>Nova:Rag:IngestionConcurrency</c> workers). The queue is the
/// database: a worker claims a queued document for this replica (<see cref="DocumentClaims"/>) before working on it,
/// so replicas sharing a database never ingest one document twice. Workers look when this replica queues a document
/// and every <c>Nova:Rag:IngestionPollSeconds</c> besides, for documents queued through other replicas. Documents
/// left by a replica whose lease expired are queued again after each heartbeat (<see cref="IOrphanedWork"/>); on
/// SQLite that happens once at start, for what the previous run left. A document is processed by one worker at a
/// time, and deletion waits for it.
/// </summary>
public sealed class IngestionQueue(
    DocumentIngestor ingestor,
    DocumentClaims claims,
    IOptions<RagOptions> options,
    TimeProvider time,
    ILogger<IngestionQueue> logger) : BackgroundService, IOrphanedWork
{
    // One pending wake-up is enough: a worker that claims a document wakes the next one, until none is left.
    private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<Guid, CancellationTokenSource> _running = [];
    private readonly DocumentLocks _locks = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once workers are taking documents.</summary>
    public Task Started => _started.Task;

    /// <summary>A document was queued (stored as Uploaded without an owner): a worker here looks for it at once.</summary>
    public void Wake() => _wake.Writer.TryWrite(0);

    /// <summary>Documents whose lock is held or awaited now; zero when nothing is being worked on.</summary>
    internal int HeldDocumentLocks => _locks.Count;

    /// <summary>
    /// Stops this replica's work on the document and holds it while <paramref name="action"/> runs, so that no
    /// worker here writes to its indexes meanwhile. Another replica ingesting it finds, at its next write, that the
    /// action removed the document or queued it again (which clears its claim), and stops without writing.
    /// </summary>
    public async Task WithDocumentHeldAsync(Guid documentId, Func<Task> action, CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? running;
        lock (_running)
        {
            _running.TryGetValue(documentId, out running);
        }
        if (running is not null)
        {
            await running.CancelAsync();
        }
        using (await _locks.AcquireAsync(documentId, cancellationToken))
        {
            await action();
        }
    }

    async Task<int> IOrphanedWork.TakeOverAsync(CancellationToken cancellationToken)
    {
        var released = await claims.ReleaseOrphanedAsync(cancellationToken);
        if (released > 0)
        {
            Wake();
        }
        return released;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, options.Value.IngestionConcurrency).Select(_ => WorkAsync(stoppingToken)).ToList();
        Wake();
        _started.TrySetResult();
        await Task.WhenAll([.. workers, PollAsync(stoppingToken)]);
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IngestionPollSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Wake();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _wake.Reader.ReadAllAsync(stoppingToken))
            {
                while (await ClaimNextAsync(stoppingToken) is { } documentId)
                {
                    Wake();
                    await ProcessOneAsync(documentId, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is in flight stays claimed by this replica, which is removed from the table as it stops,
            // so the next replica's heartbeat (or this one's next start, on SQLite) queues it again.
        }
    }

    private async Task<Guid?> ClaimNextAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await claims.ClaimNextAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not claim a queued document; looking again at the next poll");
            return null;
        }
    }

    private async Task ProcessOneAsync(Guid documentId, CancellationToken stoppingToken)
    {
        using var held = await _locks.AcquireAsync(documentId, stoppingToken);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        lock (_running)
        {
            _running[documentId] = cancellation;
        }
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
            lock (_running)
            {
                _running.Remove(documentId);
            }
        }
    }
}
