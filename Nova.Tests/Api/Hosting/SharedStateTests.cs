using System.Net;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Services.Hosting;
using Nova.Tests.Infrastructure;
using StackExchange.Redis;

namespace Nova.Tests.Api.Hosting;

public sealed class SharedStateTests
{
    private const string Purpose = "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware";

    [Fact]
    public async Task TwoReplicasSharingRedisReadEachOthersCookies()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var redis = new[] { new KeyValuePair<string, string?>(SharedStateOptions.RedisKey, RedisServer.ConnectionString) };
        await using var first = new NovaAppFactory(database, redis);
        await using var second = new NovaAppFactory(database, redis);
        await ClearKeyRingAsync();

        var sealedByFirst = Protector(first).Protect("signed-in user");

        Assert.Equal("signed-in user", Protector(second).Unprotect(sealedByFirst));
        using var client = second.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task AReplicaOnRedisShutsDownCleanlyWhenItsBackplaneStartedBeforeTheSharedConnection()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var redis = new[] { new KeyValuePair<string, string?>(SharedStateOptions.RedisKey, RedisServer.ConnectionString) };
        await using var watcher = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString);
        var app = new NovaAppFactory(database, redis);
        var channelsBefore = await ChannelsAsync(watcher);

        // The circuits' backplane first, subscribed; the shared connection after it (the container disposes in reverse).
        var hub = typeof(CircuitOptions).Assembly.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!;
        _ = app.Services.GetRequiredService(typeof(HubLifetimeManager<>).MakeGenericType(hub));
        for (var attempt = 0; attempt < 100 && await ChannelsAsync(watcher) <= channelsBefore; attempt++)
        {
            await Task.Delay(50);
        }
        Assert.True(await ChannelsAsync(watcher) > channelsBefore, "The backplane never subscribed.");
        using (var client = app.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }

        await app.DisposeAsync();
    }

    [Fact]
    public async Task WithoutRedisARestartKeepsTheKeysOnDisk()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var keys = Directory.CreateTempSubdirectory("nova-keys-").FullName;
        var settings = new[] { new KeyValuePair<string, string?>(SharedStateOptions.KeysPathKey, keys) };
        string sealedBeforeRestart;
        await using (var before = new NovaAppFactory(database, settings))
        {
            sealedBeforeRestart = Protector(before).Protect("signed-in user");
        }

        await using var after = new NovaAppFactory(database, settings);

        Assert.Equal("signed-in user", Protector(after).Unprotect(sealedBeforeRestart));
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }

    [Fact]
    public async Task ReadyReportsRedisWhenItIsUnreachable()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var redis = new[] { new KeyValuePair<string, string?>(SharedStateOptions.RedisKey, "127.0.0.1:1,connectTimeout=200,syncTimeout=300,asyncTimeout=300") };
        await using var app = new NovaAppFactory(database, redis);
        using var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private static IDataProtector Protector(NovaAppFactory app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private static async Task<int> ChannelsAsync(IConnectionMultiplexer redis) =>
        ((RedisResult[])(await redis.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS"))!).Length;

    private static async Task ClearKeyRingAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString);
        await redis.GetDatabase().KeyDeleteAsync(SharedStateOptions.RedisKeyRingName);
    }
}
