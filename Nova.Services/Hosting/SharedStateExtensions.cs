using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Nova.Services.Hosting;

public static class SharedStateExtensions
{
    /// <summary>
    /// Data-protection keys (cookies, tokens) and the distributed cache. With <c>Nova:Redis</c> they live in Redis
    /// so replicas and restarts keep users signed in, and the chat allowance is shared by the replicas; without it
    /// keys persist under the data folder and the cache is in memory. Blazor's circuits have no backplane: a
    /// circuit lives on one replica (sticky sessions), so Redis being down never takes the chat page down.
    /// </summary>
    public static IHostApplicationBuilder AddNovaSharedState(this IHostApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(SharedStateOptions.ApplicationName);
        var redis = builder.Configuration[SharedStateOptions.RedisKey];
        if (string.IsNullOrWhiteSpace(redis))
        {
            var keysPath = builder.Configuration[SharedStateOptions.KeysPathKey]
                ?? Path.Combine(builder.Environment.ContentRootPath, "data", "keys");
            dataProtection.PersistKeysToFileSystem(Directory.CreateDirectory(keysPath));
            builder.Services.AddDistributedMemoryCache();
            return builder;
        }

        var options = ParseRedis(redis);
        var prefix = builder.Configuration[SharedStateOptions.RedisPrefixKey] ?? SharedStateOptions.DefaultRedisPrefix;
        // Connects in the background and keeps retrying, so a Redis outage never stops Nova from starting.
        var multiplexer = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
        builder.Services.AddSingleton(_ => multiplexer.Value);
        builder.Services.AddSingleton(services => new SharedRedis(multiplexer.Value, prefix, services.GetRequiredService<ILogger<SharedRedis>>()));
        dataProtection.PersistKeysToStackExchangeRedis(() => multiplexer.Value.GetDatabase(), prefix + SharedStateOptions.RedisKeyRingName);
        builder.Services.AddStackExchangeRedisCache(cache =>
        {
            cache.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer.Value);
            cache.InstanceName = prefix;
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, tags: ["ready"]);
        return builder;
    }

    private static ConfigurationOptions ParseRedis(string connectionString)
    {
        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            return options;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Setting '{SharedStateOptions.RedisKey}' is invalid: {e.Message}", e);
        }
    }
}
