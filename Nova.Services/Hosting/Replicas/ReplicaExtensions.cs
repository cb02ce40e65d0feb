using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Nova.Services.Hosting.Replicas;

public static class ReplicaExtensions
{
    /// <summary>
    /// This process as a replica: its identity, its heartbeat in the database (<c>Nova:Replicas</c>) and the leases
    /// that say whose work may be taken over. Areas that own work register an <see cref="IOrphanedWork"/>.
    /// </summary>
    public static IServiceCollection AddNovaReplicas(this IServiceCollection services)
    {
        services.AddOptions<ReplicaOptions>().BindConfiguration(ReplicaOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.LeaseDuration >= 2 * o.HeartbeatInterval,
                $"{ReplicaOptions.Section}:LeaseDuration must be at least twice {ReplicaOptions.Section}:HeartbeatInterval, " +
                "or a replica that is merely slow loses its work.")
            .ValidateOnStart();
        // The drain and the final writes after it must fit in the host's shutdown.
        services.AddOptions<HostOptions>().Configure<IOptions<ReplicaOptions>>((host, replicas) =>
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (replicas.Value.DrainTimeout + TimeSpan.FromSeconds(15)).Ticks)));
        services.TryAddSingleton<ReplicaIdentity>();
        services.TryAddSingleton<ReplicaLeases>();
        services.TryAddSingleton<ReplicaBroadcast>();
        if (!services.Any(d => d.ImplementationType == typeof(ReplicaHeartbeat)))
        {
            services.AddHostedService<ReplicaHeartbeat>();
        }
        return services;
    }
}
