namespace Nova.Services.RateLimiting;

/// <summary>
/// The per-user allowance of chat requests. The chat page and the REST chat endpoints draw from
/// the same bucket, so a user cannot double their rate by switching between them.
/// </summary>
public interface IChatRateLimiter
{
    /// <summary>Takes one request from the user's allowance, or says how long to wait.</summary>
    ValueTask<RateLimitResult> TryAcquireAsync(string userId, CancellationToken cancellationToken = default);
}
