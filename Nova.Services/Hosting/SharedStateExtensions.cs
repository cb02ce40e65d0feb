using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Nova.Services.Hosting;

public static class SharedStateExtensions
{
    /// <summary>
    /// Data-protection keys (cookies, tokens), the distributed cache and the SignalR backplane.
    /// With <c>Nova:Redis</c> they live in Redis so replicas and restarts keep users signed in;
    /// without it keys persist under the data folder and the cache is in memory.
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
        // Connects in the background and keeps retrying, so a Redis outage never stops Nova from starting.
        var multiplexer = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
        builder.Services.AddSingleton(_ => multiplexer.Value);
        dataProtection.PersistKeysToStackExchangeRedis(() => multiplexer.Value.GetDatabase(), SharedStateOptions.RedisKeyRingName);
        builder.Services.AddStackExchangeRedisCache(cache => cache.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer.Value));
        // SignalR's backplane opens and disposes a connection of its own: on the shared one, a backplane created before it
        // would unsubscribe at shutdown from a connection the container had already disposed.
        builder.Services.AddSignalR().AddStackExchangeRedis(signalR => signalR.Configuration = options.Clone());
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
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
