using Nova.Services.RateLimiting;

namespace Nova.App.Api.Limits;

/// <summary>The rate-limit partition of a request's client address, shared by the API and the account pages.</summary>
internal static class ClientAddress
{
    /// <summary>After UseForwardedHeaders this is the proxy's client only when a known proxy said so.</summary>
    public static string PartitionKey(HttpContext context) =>
        "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>Whole seconds to wait after a refusal, at least one.</summary>
    public static int RetryAfterSeconds(RateLimitResult refused) =>
        Math.Max(1, (int)Math.Ceiling((refused.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));

    /// <summary>"Try again in 1 second." / "Try again in 5 seconds.", for a refusal's message.</summary>
    public static string TryAgainIn(int seconds) => $"Try again in {seconds} second{(seconds == 1 ? "" : "s")}.";
}
