using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Nova.App.Hosting;

internal static class TelemetryExtensions
{
    /// <summary>Nova's own meters and activity sources share this prefix.</summary>
    public const string NovaSources = "Nova.*";

    /// <summary>
    /// Metrics for Prometheus at /metrics, and traces to an OTLP collector when
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
}
