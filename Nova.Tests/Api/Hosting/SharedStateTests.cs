using System.Net;
using Microsoft.AspNetCore.DataProtection;
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

    private static async Task ClearKeyRingAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString);
        await redis.GetDatabase().KeyDeleteAsync(SharedStateOptions.RedisKeyRingName);
    }
}
