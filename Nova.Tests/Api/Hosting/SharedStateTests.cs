using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Services.Hosting;
using Nova.Services.Identity;
using Nova.Services.Identity.ApiKeys;
using Nova.Services.RateLimiting;
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
    public async Task ASetupTokenOneReplicaLoggedIsAcceptedByTheOther()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = new NovaAppFactory(database, Redis(RedisServer.ConnectionString));
        await using var second = new NovaAppFactory(database, Redis(RedisServer.ConnectionString));
        var logged = first.Services.GetRequiredService<FirstAccountSetup>().Token;

        var other = second.Services.GetRequiredService<FirstAccountSetup>();

        Assert.True(other.Accepts($" {logged} "));
        Assert.False(other.Accepts(logged[..^2] + (logged[^1] == 'A' ? "BB" : "AA")));
        Assert.False(other.Accepts("0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public async Task TheChatPagesCircuitsHaveNoBackplaneEvenWithRedis()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database, Redis(RedisServer.ConnectionString));

        var hub = typeof(CircuitOptions).Assembly.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!;
        var lifetime = app.Services.GetRequiredService(typeof(HubLifetimeManager<>).MakeGenericType(hub));

        Assert.Equal(typeof(DefaultHubLifetimeManager<>), lifetime.GetType().GetGenericTypeDefinition());
    }

    [Fact]
    public async Task TwoReplicasOnRedisDrawTheChatAllowanceFromOneBucket()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        KeyValuePair<string, string?>[] settings = [.. Redis(RedisServer.ConnectionString), new("Nova:RateLimits:ChatBurst", "3")];
        await using var first = new NovaAppFactory(database, settings);
        await using var second = new NovaAppFactory(database, settings);
        var user = Guid.NewGuid().ToString();
        var onFirst = first.Services.GetRequiredService<IChatRateLimiter>();
        var onSecond = second.Services.GetRequiredService<IChatRateLimiter>();

        Assert.True((await onFirst.TryAcquireAsync(user)).Allowed);
        Assert.True((await onSecond.TryAcquireAsync(user)).Allowed);
        Assert.True((await onFirst.TryAcquireAsync(user)).Allowed);
        var refused = await onSecond.TryAcquireAsync(user);

        Assert.False(refused.Allowed);
        Assert.True((await onFirst.TryAcquireAsync(Guid.NewGuid().ToString())).Allowed);
    }

    [Fact]
    public async Task TwoReplicasOnRedisCountAnAddresssTokenRequestsTogether()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        KeyValuePair<string, string?>[] settings =
        [
            .. Redis(RedisServer.ConnectionString), new(SharedStateOptions.RedisPrefixKey, $"test-{Guid.NewGuid():N}:"),
            new("Nova:RateLimits:AuthRequestsPerMinute", "3"),
        ];
        await using var first = new NovaAppFactory(database, settings);
        await using var second = new NovaAppFactory(database, settings);
        using var throughFirst = first.CreateClient();
        using var throughSecond = second.CreateClient();

        var answers = new List<HttpResponseMessage>();
        foreach (var client in new[] { throughFirst, throughSecond, throughFirst, throughSecond })
        {
            answers.Add(await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "nobody@example.test", password = "wrong" }));
        }

        Assert.All(answers[..3], a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[3].StatusCode);
        Assert.True(answers[3].Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task AnAccountChangeOnOneReplicaReachesTheOthersOnceAndItselfOnce()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = new NovaAppFactory(database, Redis(RedisServer.ConnectionString));
        await using var second = new NovaAppFactory(database, Redis(RedisServer.ConnectionString));
        var heardByFirst = new List<string>();
        var heardBySecond = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = first.Services.GetRequiredService<UserSessionSignals>();
        publisher.AccountChanged += heardByFirst.Add;
        var listener = second.Services.GetRequiredService<UserSessionSignals>();
        listener.AccountChanged += user => heardBySecond.TrySetResult(user);
        await listener.Subscribed;
        var locked = Guid.NewGuid().ToString();

        publisher.Publish(locked);

        Assert.Equal(locked, await heardBySecond.Task.WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal([locked], heardByFirst);
    }

    [Fact]
    public async Task AKeyRevokedOnOneReplicaStopsWorkingOnTheOtherAtOnceThoughItRememberedTheKey()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = new NovaAppFactory(database, Redis(RedisServer.ConnectionString));
        await using var second = new NovaAppFactory(database, Redis(RedisServer.ConnectionString));
        var owner = await CreateUserAsync(first);
        var keysOnFirst = first.Services.GetRequiredService<ApiKeyService>();
        var keysOnSecond = second.Services.GetRequiredService<ApiKeyService>();
        await keysOnSecond.Subscribed;
        var created = await keysOnFirst.CreateAsync(owner, "laptop");
        Assert.NotNull(await keysOnSecond.FindAsync(created.Key));

        Assert.True(await keysOnFirst.RevokeAsync(owner, created.Info.Id));

        var stillRecognised = Stopwatch.StartNew();
        while (await keysOnSecond.FindAsync(created.Key) is not null)
        {
            Assert.True(stillRecognised.Elapsed < TimeSpan.FromSeconds(1), "The other replica still accepts the revoked key.");
            await Task.Delay(20);
        }
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
    public async Task WithRedisUnreachableReadinessSaysDegradedAndChatsAreLimitedPerReplicaWithoutWaiting()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        KeyValuePair<string, string?>[] settings = [.. Redis("127.0.0.1:1"), new("Nova:RateLimits:ChatBurst", "2")];
        await using var app = new NovaAppFactory(database, settings);
        using var client = app.CreateClient();
        var limiter = app.Services.GetRequiredService<IChatRateLimiter>();

        var ready = await client.GetAsync("/health/ready");
        var waited = Stopwatch.StartNew();
        var allowance = new[] { await limiter.TryAcquireAsync("alice"), await limiter.TryAcquireAsync("alice"), await limiter.TryAcquireAsync("alice") };
        waited.Stop();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        Assert.Equal([true, true, false], allowance.Select(a => a.Allowed));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(1), $"The allowance waited {waited.Elapsed} on an unreachable Redis.");
    }

    private static async Task<string> CreateUserAsync(NovaAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = new NovaUser { UserName = "owner@example.test", Email = "owner@example.test" };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>().CreateAsync(user)).Succeeded);
        return user.Id;
    }

    private static KeyValuePair<string, string?>[] Redis(string connectionString) =>
        [new(SharedStateOptions.RedisKey, connectionString)];

    private static IDataProtector Protector(NovaAppFactory app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private static async Task ClearKeyRingAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString);
        await redis.GetDatabase().KeyDeleteAsync(SharedStateOptions.DefaultRedisPrefix + SharedStateOptions.RedisKeyRingName);
    }
}
