namespace Nova.Services.RateLimiting;

/// <summary>The outcome of asking for one chat request; <see cref="RetryAfter"/> is set when refused.</summary>
public readonly record struct ChatRateLimitResult(bool Allowed, TimeSpan? RetryAfter);

/// <summary>
/// The per-user allowance of chat requests. The chat page and the REST chat endpoints draw from
/// the same bucket, so a user cannot double their rate by switching between them.
/// </summary>
public interface IChatRateLimiter
{
    /// <summary>Takes one request from the user's allowance, or says how long to wait.</summary>
    ValueTask<ChatRateLimitResult> TryAcquireAsync(string userId, CancellationToken cancellationToken = default);
}
