namespace Nova.Services.Hosting.Replicas;

/// <summary>
/// Work that names the replica doing it (an answer being written, a document being ingested). After every
/// heartbeat each replica offers to take over the work of replicas whose lease expired; the take-over must
/// be one conditional write, so that of several replicas offering at once exactly one wins.
/// </summary>
public interface IOrphanedWork
{
    /// <summary>Takes over (or ends) work whose owner is no longer alive; returns how many items.</summary>
    Task<int> TakeOverAsync(CancellationToken cancellationToken);
}
