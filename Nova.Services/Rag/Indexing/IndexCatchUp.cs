using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Indexing;

/// <summary>
/// Keeps this replica's in-memory indexes current with changes made through other replicas: reads the
/// <see cref="IndexChangeFeed"/> every <c>Nova:Rag:CatchUp:PollInterval</c> and applies each new row through
/// <see cref="IndexResync"/>, its own included (harmless: applying reads the database). Also prunes old feed rows.
/// </summary>
public sealed class IndexCatchUp(
    IndexChangeFeed feed,
    IndexResync resync,
    IOptions<IndexCatchUpOptions> options,
    TimeProvider time,
    ILogger<IndexCatchUp> logger) : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    // Rows read at or above the horizon are read again until it passes them: these are applied already (sequence → transaction).
    private readonly Dictionary<long, long> _applied = [];
    private long _horizon;
    private DateTimeOffset _lastRead;
    private DateTimeOffset _nextPrune;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the indexes first load: whatever commits later is read from the feed, whatever committed before is loaded.
        _horizon = await feed.HorizonAsync(cancellationToken);
        _lastRead = _nextPrune = time.GetUtcNow();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        try
        {
            do
            {
                await CatchUpAsync(stoppingToken);
                await PruneAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var read = await feed.ReadAsync(_horizon, cancellationToken);
            var now = time.GetUtcNow();
            var fresh = read.Changes.Where(c => !_applied.ContainsKey(c.Sequence)).ToList();
            if (now - _lastRead > options.Value.Retention / 2)
            {
                logger.LogWarning("The index change feed was not read for {Elapsed}; rebuilding the in-memory indexes from the database", now - _lastRead);
                await resync.RebuildAsync(cancellationToken);
            }
            else if (fresh.Any(c => c.Kind == IndexChangeKind.All))
            {
                await resync.RebuildAsync(cancellationToken);
            }
            else if (fresh.Count > 0)
            {
                await resync.DocumentsAsync(fresh.Select(c => c.DocumentId!.Value).ToList(), cancellationToken);
            }
            foreach (var change in fresh)
            {
                _applied[change.Sequence] = change.TransactionId;
            }
            foreach (var (sequence, _) in _applied.Where(a => a.Value < read.Horizon).ToList())
            {
                _applied.Remove(sequence);
            }
            _horizon = read.Horizon;
            _lastRead = now;
            if (fresh.Count > 0)
            {
                logger.LogDebug("Applied {Count} index changes from the feed", fresh.Count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing is marked applied: the same rows are read and applied again at the next poll.
            logger.LogWarning(e, "Could not catch up with the index change feed");
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _nextPrune)
        {
            return;
        }
        _nextPrune = time.GetUtcNow() + PruneInterval;
        try
        {
            await feed.PruneAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not prune the index change feed");
        }
    }
}
