using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Nova.Services.RateLimiting;

/// <summary>A token bucket per user in this process, shared by every caller through <see cref="IChatRateLimiter"/>.</summary>
internal sealed class ChatRateLimiter : IChatRateLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets;

    public ChatRateLimiter(IOptions<RateLimitOptions> options)
    {
        var settings = options.Value;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.ChatBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / settings.ChatRequestsPerMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _buckets = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ => bucket));
    }

    public ValueTask<ChatRateLimitResult> TryAcquireAsync(string userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TryAcquire(userId));

    public ChatRateLimitResult TryAcquire(string userId)
    {
        using var lease = _buckets.AttemptAcquire(userId);
        return lease.IsAcquired
            ? new ChatRateLimitResult(true, null)
            : new ChatRateLimitResult(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
    }

    public void Dispose() => _buckets.Dispose();
}
