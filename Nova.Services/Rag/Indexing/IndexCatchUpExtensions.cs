using Microsoft.Extensions.DependencyInjection;

namespace Nova.Services.Rag.Indexing;

public static class IndexCatchUpExtensions
{
    /// <summary>
    /// The index change feed and the catch-up that applies it (<c>Nova:Rag:CatchUp</c>), for replicas that share one
    /// PostgreSQL database and each hold the embedded indexes in memory. Not for SQLite (one process) nor for Qdrant
    /// (one shared store).
    /// </summary>
    public static IServiceCollection AddNovaIndexCatchUp(this IServiceCollection services)
    {
        services.AddOptions<IndexCatchUpOptions>().BindConfiguration(IndexCatchUpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IndexChangeFeed>();
        services.AddSingleton<IndexResync>();
        services.AddHostedService<IndexCatchUp>();
        return services;
    }
}
