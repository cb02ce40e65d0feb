using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Services.Data;

namespace Nova.Services.Hosting.Replicas;

/// <summary>
/// Which replicas are alive: those whose heartbeat is younger than <c>Nova:Replicas:LeaseDuration</c>.
/// This replica always is. Work owned by any other replica may be taken over.
/// </summary>
public sealed class ReplicaLeases(
    IDbContextFactory<NovaDbContext> contexts,
    ReplicaIdentity self,
    IOptionsMonitor<ReplicaOptions> options,
    TimeProvider time)
{
    public Guid Self => self.Id;

    /// <summary>The ids of the replicas alive now, as a subquery for work tables to test their owners against.</summary>
    public IQueryable<Guid> Live(NovaDbContext db)
    {
        var since = time.GetUtcNow() - options.CurrentValue.LeaseDuration;
        return db.Set<Replica>().Where(r => r.HeartbeatAt > since || r.Id == self.Id).Select(r => r.Id);
    }

    public async Task<bool> IsLiveAsync(Guid? replicaId, CancellationToken cancellationToken = default)
    {
        if (replicaId is not { } id)
        {
            return false;
        }
        if (id == self.Id)
        {
            return true;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Live(db).ContainsAsync(id, cancellationToken);
    }
}
