using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nova.Services.Hosting;
using Nova.Services.Hosting.Replicas;
using StackExchange.Redis;

namespace Nova.Services.Chat;

/// <summary>
/// A user's answers being written, counted across the replicas in Redis, so the per-user limit holds however
/// requests are spread. Each answer is a member of the user's sorted set, scored with the Redis time its hold
/// expires; the replica writing it renews the hold every heartbeat, so a replica that dies frees its places after one
/// lease. While Redis is unreachable or slow each replica counts only its own answers (the registry's count), and
/// the next renewal puts the answers held meanwhile back. Without Redis this holds nothing.
/// </summary>
public sealed class SharedGenerationCount(
    IOptionsMonitor<ReplicaOptions> replicas, TimeProvider time, SharedRedis? redis = null) : BackgroundService
{
    // Expired holds go first; the new one is added only below the limit. Returns -1 when held, else how many are.
    private const string HoldScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local held = redis.call('ZCARD', KEYS[1])
        if held >= tonumber(ARGV[1]) then return held end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return -1
        """;

    private const string RenewScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """;

    private readonly ConcurrentDictionary<Guid, string> _held = new();

    /// <summary>Holds a place for <paramref name="messageId"/>; null when held, else how many of the user's answers are being written.</summary>
    public async ValueTask<int?> TryHoldAsync(string userId, Guid messageId, int limit, CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return null;
        }
        _held[messageId] = userId;
        var held = await redis.OrLocalAsync("the answers being written", async _ =>
            (int)await redis.Connection.GetDatabase().ScriptEvaluateAsync(HoldScript, [Key(userId)],
                [limit, LeaseMilliseconds, messageId.ToString("N")]),
            () => -1, cancellationToken);
        if (held < 0)
        {
            return null;
        }
        _held.TryRemove(messageId, out _);
        return held;
    }

    /// <summary>Gives the place back; never waits on Redis.</summary>
    public void Release(string userId, Guid messageId)
    {
        if (redis is null || !_held.TryRemove(messageId, out _))
        {
            return;
        }
        if (redis.IsConnected)
        {
            redis.Connection.GetDatabase().SortedSetRemove(Key(userId), messageId.ToString("N"), CommandFlags.FireAndForget);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(replicas.CurrentValue.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!redis.IsConnected)
            {
                continue;
            }
            var database = redis.Connection.GetDatabase();
            foreach (var (messageId, userId) in _held)
            {
                _ = database.ScriptEvaluateAsync(RenewScript, [Key(userId)], [LeaseMilliseconds, messageId.ToString("N")], CommandFlags.FireAndForget);
            }
        }
    }

    private long LeaseMilliseconds => (long)replicas.CurrentValue.LeaseDuration.TotalMilliseconds;

    private RedisKey Key(string userId) => redis!.Key($"generations:{userId}");
}
