using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Nova.App.Hosting;

internal static class TelemetryExtensions
{
    /// <summary>Nova's own meters and activity sources share this prefix.</summary>
    public const string NovaSources = "Nova.*";

    /// <summary>
    /// Metrics for Prometheus at /metrics (for the callers <see cref="MetricsOptions"/> allows), and traces to an OTLP collector when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without a collector nothing traces: every request and
    /// model call would otherwise record spans that go nowhere.
    /// </summary>
    public static IHostApplicationBuilder AddNovaTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(NovaSources, "Microsoft.Extensions.AI", "Microsoft.AspNetCore.Components*")
                .AddPrometheusExporter());
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        builder.Services.AddSingleton<MetricsAccess>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource(NovaSources, "Microsoft.Extensions.AI")
                    .AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>Prometheus's scrape endpoint, answered only to the callers <see cref="MetricsOptions"/> allows.</summary>
    public static IEndpointRouteBuilder MapNovaMetrics(this IEndpointRouteBuilder endpoints)
    {
        var access = endpoints.ServiceProvider.GetRequiredService<MetricsAccess>();
        endpoints.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(
            (context, next) =>
            {
                if (access.Allows(context))
                {
                    return next(context);
                }
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }), optionsName: null);
        return endpoints;
    }
}
