using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Nova.Services.Llm;

/// <summary>
/// Readiness of the model endpoints. Never Unhealthy: with no model reachable Nova still serves
/// retrieval-only answers, so that state is Degraded, as is any endpoint being down.
/// </summary>
internal sealed class LlmHealthCheck(ModelCatalog catalog) : IHealthCheck
{
    public const string Name = "llm";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (catalog.LastRefreshed is null)
        {
            return Task.FromResult(HealthCheckResult.Degraded("Model endpoints have not been checked yet."));
        }
        var endpoints = catalog.Endpoints;
        var data = endpoints.ToDictionary(
            e => e.Name,
            e => (object)(e.IsReachable ? $"reachable, {e.ModelCount} models" : $"unreachable: {e.LastError}"));
        var available = catalog.ListModels().Count(m => m.IsAvailable);
        var down = endpoints.Where(e => !e.IsReachable).Select(e => e.Name).ToList();
        var result = (available, down.Count) switch
        {
            (0, _) => HealthCheckResult.Degraded("No model is reachable: answers are retrieval-only.", data: data),
            (_, > 0) => HealthCheckResult.Degraded($"{available} models available; unreachable: {string.Join(", ", down)}.", data: data),
            _ => HealthCheckResult.Healthy($"{available} models available on {endpoints.Count} endpoints.", data),
        };
        return Task.FromResult(result);
    }
}
