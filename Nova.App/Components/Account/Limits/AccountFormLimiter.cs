using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Nova.App.Api.Limits;

namespace Nova.App.Components.Account.Limits;

/// <summary>Which budget an account form draws from.</summary>
public enum AccountForm
{
    /// <summary>Login, LoginWith2fa and LoginWithRecoveryCode: one budget, so spraying cannot switch pages to get more.</summary>
    SignIn,
    Register,
}

/// <summary>
/// Per-address limits on account form posts. Lockout is per account, so password spraying across
/// accounts and mass registration meet no limit without these. The pages call it from their submit
/// handlers, so only a submitted form counts, and answer with a message on the page, not a bare 429.
/// Partitioned like the API's limits (<see cref="ClientAddress"/>): a client's own X-Forwarded-For does
/// not pick its partition.
/// </summary>
public sealed class AccountFormLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(AccountForm Form, string Address)> _limiter;

    public AccountFormLimiter(IOptions<AccountFormLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<(AccountForm Form, string Address), (AccountForm Form, string Address)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => key.Form == AccountForm.SignIn
                ? Window(limits.SignInAttemptsPerMinute, TimeSpan.FromMinutes(1))
                : Window(limits.RegistrationsPerHour, TimeSpan.FromHours(1))));
    }

    /// <summary>
    /// Counts one post of <paramref name="form"/> from the request's address. Null when it may go ahead,
    /// otherwise the message to show; the response then carries 429 and Retry-After.
    /// </summary>
    public string? TryAcquire(AccountForm form, HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire((form, ClientAddress.PartitionKey(context)));
        if (lease.IsAcquired)
        {
            return null;
        }
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        return $"Error: Too many attempts from your network. Try again in {seconds} second{(seconds == 1 ? "" : "s")}.";
    }

    public void Dispose() => _limiter.Dispose();

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0 };
}
