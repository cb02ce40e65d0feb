using Microsoft.Extensions.Options;
using Nova.Services.RateLimiting;

namespace Nova.Tests.Unit.Api;

public sealed class ChatRateLimiterTests
{
    [Fact]
    public async Task EachUserHasTheirOwnBucket()
    {
        using var limiter = NewLimiter(burst: 1);

        Assert.True((await limiter.TryAcquireAsync("alice")).Allowed);
        Assert.False((await limiter.TryAcquireAsync("alice")).Allowed);
        Assert.True((await limiter.TryAcquireAsync("bob")).Allowed);
    }

    private static ChatRateLimiter NewLimiter(int burst) =>
        new(Options.Create(new RateLimitOptions { ChatBurst = burst, ChatRequestsPerMinute = 1 }));
}
