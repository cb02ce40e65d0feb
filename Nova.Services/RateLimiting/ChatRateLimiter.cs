using Microsoft.Extensions.Options;
using Nova.Services.Hosting;

namespace Nova.Services.RateLimiting;

/// <summary>A token bucket per user, shared by the replicas when Redis is configured (see <see cref="SharedRateLimiter"/>).</summary>
internal sealed class ChatRateLimiter(IOptions<RateLimitOptions> options, SharedRedis? redis = null) : IChatRateLimiter, IDisposable
{
    private readonly SharedRateLimiter _buckets =
        SharedRateLimiter.TokenBucket("chat", options.Value.ChatBurst, options.Value.ChatRequestsPerMinute, redis);

    public ValueTask<RateLimitResult> TryAcquireAsync(string userId, CancellationToken cancellationToken = default) =>
        _buckets.TryAcquireAsync(userId, cancellationToken);

    public void Dispose() => _buckets.Dispose();
}
