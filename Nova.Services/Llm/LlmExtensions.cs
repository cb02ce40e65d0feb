using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Nova.Services.Llm;

public static class LlmExtensions
{
    /// <summary>
    /// Registers the model backends of <c>Nova:Llm</c>: <see cref="IModelRouter"/> (the
    /// <see cref="ModelCatalog"/>, also a hosted service that keeps the catalog fresh), the HTTP
    /// clients with timeouts, retries before the response starts and a circuit breaker per server,
    /// and the "llm" readiness check. With no endpoint configured, Nova looks for Ollama on
    /// http://localhost:11434.
    /// </summary>
    public static IHostApplicationBuilder AddNovaLlm(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LlmOptions>()
            .BindConfiguration(LlmOptions.Section)
            .PostConfigure(options =>
            {
                if (options.Endpoints.Count == 0)
                {
                    options.Endpoints.Add(LlmOptions.LocalOllama());
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        foreach (var name in new[] { LlmHttp.ChatClientName, LlmHttp.BackgroundClientName })
        {
            // Each named client has its own pipelines, so background calls never trip the breaker users' requests pass.
            services.AddHttpClient(name)
                .RedactLoggedHeaders(_ => true)
                .AddStandardResilienceHandler()
                .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<LlmOptions>>().Value))
                .SelectPipelineByAuthority();
        }
        services.AddHttpClient(LlmHttp.ProbeClientName, client => client.MaxResponseContentBufferSize = LlmHttp.MaxProbeResponseBytes)
            .RedactLoggedHeaders(_ => true);

        services.AddSingleton<ModelLister>();
        services.AddSingleton<LlmClientFactory>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<IModelRouter>(sp => sp.GetRequiredService<ModelCatalog>());
        services.AddHostedService(sp => sp.GetRequiredService<ModelCatalog>());
        services.AddHealthChecks().AddCheck<LlmHealthCheck>(LlmHealthCheck.Name, tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// The pipeline wraps only the wait for response headers: once a stream has started, its body
    /// is read outside it, so a stream that already produced tokens is never retried.
    /// </summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions resilience, LlmOptions options)
    {
        resilience.AttemptTimeout.Timeout = options.FirstTokenTimeout;
        resilience.TotalRequestTimeout.Timeout = options.RequestTimeout;
        resilience.Retry.MaxRetryAttempts = Math.Max(options.MaxRetries, 1);
        if (options.MaxRetries == 0)
        {
            resilience.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
        }
        resilience.Retry.Delay = options.RetryDelay;
        resilience.CircuitBreaker.MinimumThroughput = 5;
        resilience.CircuitBreaker.FailureRatio = 0.5;
        resilience.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * options.FirstTokenTimeout.Ticks));
    }
}
