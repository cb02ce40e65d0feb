using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Nova.Services.RateLimiting;

namespace Nova.Tests.Unit.Api;

public sealed class ChatRateLimiterTests
{
    [Fact]
    public void TheMiddlewaresViewAndTheUiDrawFromTheSameBucket()
    {
        using var limiter = NewLimiter(burst: 3);
        using var view = limiter.ForUser("alice");

        using var first = view.AttemptAcquire();
        using var second = view.AttemptAcquire();
        var third = limiter.TryAcquire("alice");
        var fourth = limiter.TryAcquire("alice");
        using var fifth = view.AttemptAcquire();

        Assert.True(first.IsAcquired && second.IsAcquired && third.Allowed);
        Assert.False(fourth.Allowed);
        Assert.NotNull(fourth.RetryAfter);
        Assert.False(fifth.IsAcquired);
        Assert.True(fifth.TryGetMetadata(MetadataName.RetryAfter, out _));
    }

    [Fact]
    public void EachUserHasTheirOwnBucket()
    {
        using var limiter = NewLimiter(burst: 1);

        Assert.True(limiter.TryAcquire("alice").Allowed);
        Assert.False(limiter.TryAcquire("alice").Allowed);
        Assert.True(limiter.TryAcquire("bob").Allowed);
    }

    [Fact]
    public void DisposingTheMiddlewaresViewLeavesTheBucketInPlace()
    {
        using var limiter = NewLimiter(burst: 1);
        using (var view = limiter.ForUser("alice"))
        {
            using var lease = view.AttemptAcquire();
            Assert.True(lease.IsAcquired);
        }

        Assert.False(limiter.TryAcquire("alice").Allowed);
    }

    private static ChatRateLimiter NewLimiter(int burst) =>
        new(Options.Create(new RateLimitOptions { ChatBurst = burst, ChatRequestsPerMinute = 1 }), TimeProvider.System);
}
