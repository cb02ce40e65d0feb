using Microsoft.Extensions.Options;
using Nova.Services.RateLimiting;

namespace Nova.Tests.Unit.Api;

public sealed class ChatRateLimiterTests
{
    [Fact]
    public void EachUserHasTheirOwnBucket()
    {
        using var limiter = NewLimiter(burst: 1);

        Assert.True(limiter.TryAcquire("alice").Allowed);
        Assert.False(limiter.TryAcquire("alice").Allowed);
        Assert.True(limiter.TryAcquire("bob").Allowed);
    }

    private static ChatRateLimiter NewLimiter(int burst) =>
        new(Options.Create(new RateLimitOptions { ChatBurst = burst, ChatRequestsPerMinute = 1 }));
}
