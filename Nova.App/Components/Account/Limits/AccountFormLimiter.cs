using System.Globalization;
using Microsoft.Extensions.Options;
using Nova.App.Api.Limits;
using Nova.Services.Hosting;
using Nova.Services.RateLimiting;

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
/// not pick its partition. Shared by the replicas when Redis is configured (<see cref="SharedRateLimiter"/>).
/// </summary>
public sealed class AccountFormLimiter(IOptions<AccountFormLimitOptions> options, SharedRedis? redis = null) : IDisposable
{
    private readonly SharedRateLimiter _signIn =
        SharedRateLimiter.FixedWindow("sign-in", options.Value.SignInAttemptsPerMinute, TimeSpan.FromMinutes(1), redis);

    private readonly SharedRateLimiter _register =
        SharedRateLimiter.FixedWindow("register", options.Value.RegistrationsPerHour, TimeSpan.FromHours(1), redis);

    /// <summary>
    /// Counts one post of <paramref name="form"/> from the request's address. Null when it may go ahead,
    /// otherwise the message to show; the response then carries 429 and Retry-After.
    /// </summary>
    public async Task<string?> TryAcquireAsync(AccountForm form, HttpContext context)
    {
        var limiter = form == AccountForm.SignIn ? _signIn : _register;
        var result = await limiter.TryAcquireAsync(ClientAddress.PartitionKey(context), context.RequestAborted);
        if (result.Allowed)
        {
            return null;
        }
        var seconds = ClientAddress.RetryAfterSeconds(result);
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        return $"Error: Too many attempts from your network. {ClientAddress.TryAgainIn(seconds)}";
    }

    public void Dispose()
    {
        _signIn.Dispose();
        _register.Dispose();
    }
}
