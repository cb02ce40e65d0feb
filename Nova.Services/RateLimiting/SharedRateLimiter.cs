using System.Threading.RateLimiting;
using Nova.Services.Hosting;
using RedisRateLimiting;

namespace Nova.Services.RateLimiting;

/// <summary>The outcome of asking for one request; <see cref="RetryAfter"/> is set when refused.</summary>
public readonly record struct RateLimitResult(bool Allowed, TimeSpan? RetryAfter);

/// <summary>
/// A limit per partition key (a user, a client address). With Redis (<see cref="SharedRedis"/>) the count lives
/// there, so requests count the same whichever replica takes them; while Redis is unreachable or slow each replica
/// counts alone at once (a request never waits on Redis timeouts), and goes back to the shared count when it answers.
/// </summary>
public sealed class SharedRateLimiter : IDisposable
{
    private readonly string _name;
    private readonly PartitionedRateLimiter<string> _local;
    private readonly PartitionedRateLimiter<string>? _shared;
    private readonly SharedRedis? _redis;

    private SharedRateLimiter(string name, PartitionedRateLimiter<string> local, PartitionedRateLimiter<string>? shared, SharedRedis? redis)
    {
        (_name, _local, _shared, _redis) = (name, local, shared, redis);
    }

    /// <summary><paramref name="burst"/> requests back to back, then <paramref name="perMinute"/> a minute.</summary>
    public static SharedRateLimiter TokenBucket(string name, int burst, int perMinute, SharedRedis? redis)
    {
        var period = TimeSpan.FromMinutes(1) / perMinute;
        var local = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return new SharedRateLimiter(name,
            PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => local)),
            redis is null ? null : PartitionedRateLimiter.Create<string, string>(key => RedisRateLimitPartition.GetTokenBucketRateLimiter(
                redis.Key($"rate:{name}:{key}"),
                _ => new RedisTokenBucketRateLimiterOptions
                {
                    ConnectionMultiplexerFactory = () => redis.Connection,
                    TokenLimit = burst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = period,
                })),
            redis);
    }

    /// <summary><paramref name="permits"/> requests per <paramref name="window"/>.</summary>
    public static SharedRateLimiter FixedWindow(string name, int permits, TimeSpan window, SharedRedis? redis)
    {
        var local = new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 };
        return new SharedRateLimiter(name,
            PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => local)),
            redis is null ? null : PartitionedRateLimiter.Create<string, string>(key => RedisRateLimitPartition.GetFixedWindowRateLimiter(
                redis.Key($"rate:{name}:{key}"),
                _ => new RedisFixedWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => redis.Connection, PermitLimit = permits, Window = window })),
            redis);
    }

    /// <summary>Takes one request from <paramref name="key"/>'s allowance, or says how long to wait.</summary>
    public ValueTask<RateLimitResult> TryAcquireAsync(string key, CancellationToken cancellationToken = default) =>
        _shared is null || _redis is null
            ? ValueTask.FromResult(AcquireLocally(key))
            : _redis.OrLocalAsync($"the {_name} limit", token => AcquireSharedAsync(key, token), () => AcquireLocally(key), cancellationToken);

    public void Dispose()
    {
        _local.Dispose();
        _shared?.Dispose();
    }

    private async Task<RateLimitResult> AcquireSharedAsync(string key, CancellationToken cancellationToken)
    {
        using var lease = await _shared!.AcquireAsync(key, 1, cancellationToken);
        return Result(lease);
    }

    private RateLimitResult AcquireLocally(string key)
    {
        using var lease = _local.AttemptAcquire(key);
        return Result(lease);
    }

    private static RateLimitResult Result(RateLimitLease lease) =>
        new(lease.IsAcquired, lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
}
