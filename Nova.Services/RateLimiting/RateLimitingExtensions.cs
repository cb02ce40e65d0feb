using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Nova.Services.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>
    /// Per-user chat allowance (<see cref="IChatRateLimiter"/>) with limits from <c>Nova:RateLimits</c>: in Redis, shared
    /// by the replicas, when <c>Nova:Redis</c> is set (<c>AddNovaSharedState</c>), otherwise in this process.
    /// </summary>
    public static IHostApplicationBuilder AddNovaRateLimits(this IHostApplicationBuilder builder)
    {
        // Both the chat and the REST API ask for it; once is enough.
        if (builder.Services.Any(s => s.ServiceType == typeof(IChatRateLimiter)))
        {
            return builder;
        }
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.ChatRequestsPerMinute > 0, Positive(nameof(RateLimitOptions.ChatRequestsPerMinute)))
            .Validate(o => o.ChatBurst > 0, Positive(nameof(RateLimitOptions.ChatBurst)))
            .Validate(o => o.AuthRequestsPerMinute > 0, Positive(nameof(RateLimitOptions.AuthRequestsPerMinute)))
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IChatRateLimiter, ChatRateLimiter>();
        return builder;
    }

    private static string Positive(string name) => $"Setting '{RateLimitOptions.Section}:{name}' must be a positive whole number.";
}
