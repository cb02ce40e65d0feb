using System.ComponentModel.DataAnnotations;

namespace Nova.Services.Hosting.Replicas;

/// <summary>
/// <c>Nova:Replicas</c>: how often each replica proves it is alive, how long work it owns stays its own
/// without a heartbeat before another replica takes it over, and how long a stopping replica drains.
/// </summary>
public sealed class ReplicaOptions
{
    public const string Section = "Nova:Replicas";

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On shutdown, how long answers being written may take to finish before the rest are stored Interrupted with
    /// their text. New answers are refused meanwhile. The host's shutdown timeout is set above it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
