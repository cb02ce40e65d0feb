using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Nova.Services.RateLimiting;

/// <summary>
/// The chat allowance held in Redis, so a user's requests count the same whichever replica takes them. While
/// Redis is unreachable each replica falls back to its own bucket at once (a chat never waits on Redis timeouts),
/// and goes back to the shared one as soon as Redis answers.
/// </summary>
internal sealed class SharedChatRateLimiter : IChatRateLimiter, IDisposable
{
    // A healthy Redis answers in about a millisecond; beyond this the answer is not worth the wait.
    private static readonly TimeSpan SharedTimeout = TimeSpan.FromMilliseconds(250);

    private readonly IConnectionMultiplexer _redis;
    private readonly ChatRateLimiter _local;
    private readonly ILogger<SharedChatRateLimiter> _logger;
    private readonly PartitionedRateLimiter<string> _shared;

    public SharedChatRateLimiter(
        IConnectionMultiplexer redis, IOptions<RateLimitOptions> options, ILogger<SharedChatRateLimiter> logger)
    {
        _redis = redis;
        _local = new ChatRateLimiter(options);
        _logger = logger;
        var settings = options.Value;
        _shared = PartitionedRateLimiter.Create<string, string>(userId => RedisRateLimitPartition.GetTokenBucketRateLimiter(
            $"nova:rate:chat:{userId}",
            _ => new RedisTokenBucketRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                TokenLimit = settings.ChatBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / settings.ChatRequestsPerMinute,
            }));
    }

    public async ValueTask<ChatRateLimitResult> TryAcquireAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (!_redis.IsConnected)
        {
            return _local.TryAcquire(userId);
        }
        try
        {
            using var lease = await _shared.AcquireAsync(userId, 1, cancellationToken).AsTask().WaitAsync(SharedTimeout, cancellationToken);
            return lease.IsAcquired
                ? new ChatRateLimitResult(true, null)
                : new ChatRateLimitResult(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning(e, "Redis did not answer for the chat allowance; this replica's own limit applies");
            return _local.TryAcquire(userId);
        }
    }

    public void Dispose()
    {
        _shared.Dispose();
        _local.Dispose();
    }
}
