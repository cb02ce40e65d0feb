namespace Nova.Services.Hosting.Replicas;

/// <summary>This process among the replicas sharing one database: a new id every start.</summary>
public sealed class ReplicaIdentity
{
    public Guid Id { get; } = Guid.NewGuid();

    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}
