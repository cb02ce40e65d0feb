using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.App.Components.Account;

/// <summary>
/// Revalidates the circuit's user when the circuit starts, periodically, and, when an admin changes that account,
/// at once: a lock, demotion or deletion signs the open circuit out without waiting for the interval, even when the
/// change came between the prerendered page and the start of its circuit.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptions<IdentityOptions> _options;
    private readonly UserSessionSignals _signals;
    private readonly ILogger<IdentityRevalidatingAuthenticationStateProvider> _logger;
    private int _firstStateChecked;

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        UserSessionSignals signals)
        : base(loggerFactory)
    {
        _scopeFactory = scopeFactory;
        _options = options;
        _signals = signals;
        _logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();
        _signals.AccountChanged += OnAccountChanged;
        AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
        return await ValidateSecurityStampAsync(userManager, authenticationState.User);
    }

    protected override void Dispose(bool disposing)
    {
        _signals.AccountChanged -= OnAccountChanged;
        AuthenticationStateChanged -= OnAuthenticationStateChanged;
        base.Dispose(disposing);
    }

    private void OnAccountChanged(string userId) => _ = RevalidateNowAsync(userId);

    // The circuit's first state comes from the cookie the page was requested with; the periodic check would see a
    // change made since then only after its interval.
    private void OnAuthenticationStateChanged(Task<AuthenticationState> state)
    {
        if (Interlocked.Exchange(ref _firstStateChecked, 1) == 0)
        {
            _ = RevalidateNowAsync(userId: null);
        }
    }

    /// <summary>Signs the circuit out if its user (or, with a user id, only that user) is no longer valid.</summary>
    private async Task RevalidateNowAsync(string? userId)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            var signedIn = state.User.FindFirstValue(_options.Value.ClaimsIdentity.UserIdClaimType);
            if (signedIn is not null && (userId is null || signedIn == userId)
                && !await ValidateAuthenticationStateAsync(state, CancellationToken.None))
            {
                NotifyAuthenticationStateChanged(Task.FromResult(Anonymous));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogDebug(e, "Circuit ended before its account change could be applied");
        }
    }

    private async Task<bool> ValidateSecurityStampAsync(UserManager<NovaUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || await userManager.IsLockedOutAsync(user))
        {
            return false;
        }
        var principalStamp = principal.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType);
        var userStamp = await userManager.GetSecurityStampAsync(user);
        return principalStamp == userStamp;
    }
}
