namespace Nova.Services.RateLimiting;

/// <summary>Bound from <c>Nova:RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Nova:RateLimits";

    /// <summary>Chat requests a user may send per minute, UI and API together, once the burst is spent.</summary>
    public int ChatRequestsPerMinute { get; set; } = 20;

    /// <summary>Chat requests a user may send back to back before the per-minute rate applies.</summary>
    public int ChatBurst { get; set; } = 10;

    /// <summary>Requests to /api/v1/auth/* allowed per client address and minute.</summary>
    public int AuthRequestsPerMinute { get; set; } = 10;
}
