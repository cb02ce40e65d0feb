using System.ComponentModel.DataAnnotations;

namespace Nova.Services.Hosting.Replicas;

/// <summary>
/// <c>Nova:Replicas</c>: how often each replica proves it is alive, and how long work it owns stays
/// its own without a heartbeat before another replica takes it over.
/// </summary>
public sealed class ReplicaOptions
{
    public const string Section = "Nova:Replicas";

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
}
