using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Nova.App.Hosting;

internal static class EndpointExtensions
{
    /// <summary>/health/live answers while the process runs; /health/ready checks what Nova depends on.</summary>
    public static IEndpointRouteBuilder MapNovaHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return endpoints;
    }

    public static IEndpointRouteBuilder MapNovaUi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorComponents<Components.App>()
            .AddInteractiveServerRenderMode();
        endpoints.MapAdditionalIdentityEndpoints();
        return endpoints;
    }
}
