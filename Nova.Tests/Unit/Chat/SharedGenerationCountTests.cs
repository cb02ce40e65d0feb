using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nova.Services.Chat;
using Nova.Services.Hosting;
using Nova.Services.Hosting.Replicas;
using Nova.Tests.Infrastructure;
using StackExchange.Redis;

namespace Nova.Tests.Unit.Chat;

/// <summary>The per-user count of answers being written, held in a real Redis by two replicas.</summary>
public sealed class SharedGenerationCountTests : IAsyncLifetime
{
    private const int Limit = 2;
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";
    private readonly string _user = Guid.NewGuid().ToString();
    private ConnectionMultiplexer _redis = default!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task AUsersAnswersOnBothReplicasCountTowardsOneLimitAndAnEndedOneFreesItsPlace()
    {
        using var first = Replica(_redis);
        using var second = Replica(_redis);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        Assert.Null(await first.TryHoldAsync(_user, a, Limit, default));
        Assert.Null(await second.TryHoldAsync(_user, b, Limit, default));
        Assert.Equal(2, await first.TryHoldAsync(_user, c, Limit, default));
        Assert.Null(await second.TryHoldAsync(Guid.NewGuid().ToString(), Guid.NewGuid(), Limit, default));

        first.Release(_user, a);

        await Eventually.Async(() => second.TryHoldAsync(_user, c, Limit, default).AsTask(), held => held is null);
    }

    [Fact]
    public async Task TheHoldsOfAReplicaThatStoppedRenewingExpireWhileARenewingReplicasStay()
    {
        var lease = TimeSpan.FromSeconds(1);
        using var gone = Replica(_redis, lease);
        using var alive = Replica(_redis, lease);
        await alive.StartAsync(default);
        Assert.Null(await gone.TryHoldAsync(_user, Guid.NewGuid(), Limit, default));
        Assert.Null(await alive.TryHoldAsync(_user, Guid.NewGuid(), Limit, default));
        Assert.Equal(2, await alive.TryHoldAsync(_user, Guid.NewGuid(), Limit, default));

        await Task.Delay(lease * 2);

        Assert.Null(await alive.TryHoldAsync(_user, Guid.NewGuid(), Limit, default));
        Assert.Equal(2, await alive.TryHoldAsync(_user, Guid.NewGuid(), Limit, default));
        await alive.StopAsync(default);
    }

    [Fact]
    public async Task WithRedisUnreachableEachReplicaHoldsWithoutWaiting()
    {
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { "127.0.0.1:1" },
            AbortOnConnectFail = false,
        });
        using var replica = Replica(unreachable);

        var waited = Stopwatch.StartNew();
        var held = await replica.TryHoldAsync(_user, Guid.NewGuid(), Limit, default);

        Assert.Null(held);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(1), $"Holding waited {waited.Elapsed} on an unreachable Redis.");
    }

    private SharedGenerationCount Replica(IConnectionMultiplexer redis, TimeSpan? lease = null)
    {
        var options = new ReplicaOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200), LeaseDuration = lease ?? TimeSpan.FromSeconds(30) };
        return new SharedGenerationCount(new StaticOptionsMonitor<ReplicaOptions>(options), TimeProvider.System,
            new SharedRedis(redis, _prefix, NullLogger<SharedRedis>.Instance));
    }

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
