using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Data;

namespace Nova.Services.Hosting.Replicas;

/// <summary>
/// Registers this replica before Nova serves, renews its heartbeat every <c>Nova:Replicas:HeartbeatInterval</c>,
/// takes over orphaned work after each beat, then forgets replicas whose lease expired (their work has been taken over, and only work
/// in progress is checked against the table), and removes this replica when it stops. On SQLite Nova is one
/// process, so at start every other replica is a previous run of this one and its work is taken over at once.
/// </summary>
public sealed class ReplicaHeartbeat(
    IDbContextFactory<NovaDbContext> contexts,
    ReplicaIdentity self,
    IEnumerable<IOrphanedWork> orphanedWork,
    IOptionsMonitor<ReplicaOptions> options,
    TimeProvider time,
    ILogger<ReplicaHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan RemovalTimeout = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (db.Database.IsSqlite())
            {
                await db.Set<Replica>().Where(r => r.Id != self.Id).ExecuteDeleteAsync(cancellationToken);
            }
            var now = time.GetUtcNow();
            db.Add(new Replica { Id = self.Id, Name = self.Name, StartedAt = now, HeartbeatAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }
        logger.LogInformation("Replica {ReplicaId} ({ReplicaName}) started", self.Id, self.Name);
        await TakeOverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Even when the host's shutdown is out of time: the row goes at once or its lease expires on its own.
        using var removal = new CancellationTokenSource(RemovalTimeout);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(removal.Token);
            await db.Set<Replica>().Where(r => r.Id == self.Id).ExecuteDeleteAsync(removal.Token);
        }
        catch (ObjectDisposedException)
        {
            // The host was disposed without being stopped first, its database with it: the lease expires on its own.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Replica {ReplicaId} could not remove itself; its lease expires on its own", self.Id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
                await TakeOverAsync(stoppingToken);
                await ForgetExpiredAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync removes the replica.
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            var renewed = await db.Set<Replica>().Where(r => r.Id == self.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now), cancellationToken);
            if (renewed == 0)
            {
                // Removed while this replica was unreachable: it is alive again, with the same id.
                db.Add(new Replica { Id = self.Id, Name = self.Name, StartedAt = now, HeartbeatAt = now });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Replica {ReplicaId} could not renew its heartbeat", self.Id);
        }
    }

    private async Task ForgetExpiredAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var expired = time.GetUtcNow() - options.CurrentValue.LeaseDuration;
            await db.Set<Replica>().Where(r => r.HeartbeatAt <= expired && r.Id != self.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not remove replicas whose lease expired");
        }
    }

    private async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        foreach (var work in orphanedWork)
        {
            try
            {
                await work.TakeOverAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not take over orphaned work ({Work})", work.GetType().Name);
            }
        }
    }
}
