using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Nova.Services.RateLimiting;

/// <summary>A token bucket per user, shared by every caller through <see cref="IChatRateLimiter"/>.</summary>
internal sealed class ChatRateLimiter : IChatRateLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets;
    private readonly TimeProvider _clock;

    public ChatRateLimiter(IOptions<RateLimitOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        _clock = clock;
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

    public ChatRateLimitResult TryAcquire(string userId)
    {
        using var lease = _buckets.AttemptAcquire(userId);
        return lease.IsAcquired
            ? new ChatRateLimitResult(true, null)
            : new ChatRateLimitResult(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
    }

    public RateLimiter ForUser(string userId) => new UserView(_buckets, userId, _clock);

    public void Dispose() => _buckets.Dispose();

    /// <summary>
    /// What the middleware holds per user. Disposing it (the middleware does so once it is idle)
    /// leaves the shared bucket alone.
    /// </summary>
    private sealed class UserView(PartitionedRateLimiter<string> buckets, string userId, TimeProvider clock) : RateLimiter
    {
        private long _lastUsed = clock.GetTimestamp();

        public override TimeSpan? IdleDuration => clock.GetElapsedTime(Volatile.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => buckets.GetStatistics(userId);

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Volatile.Write(ref _lastUsed, clock.GetTimestamp());
            return buckets.AttemptAcquire(userId, permitCount);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _lastUsed, clock.GetTimestamp());
            return buckets.AcquireAsync(userId, permitCount, cancellationToken);
        }
    }
}
