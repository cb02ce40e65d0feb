using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Nova.Services.Identity;

namespace Nova.App.Api.Auth;

/// <summary>
/// Looks up API callers on every request, so a lock, demotion or deletion stops their tokens and
/// keys at once. Lookups are cached for a few seconds; an account change in this process drops
/// the entry at once, and the short lifetime bounds the delay for changes made by other replicas.
/// </summary>
internal sealed class ApiUserDirectory : IDisposable
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private readonly UserAccess _users;
    private readonly IMemoryCache _cache;
    private readonly UserSessionSignals _signals;
    private long _generation;

    public ApiUserDirectory(UserAccess users, IMemoryCache cache, UserSessionSignals signals)
    {
        _users = users;
        _cache = cache;
        _signals = signals;
        _signals.AccountChanged += Forget;
    }

    public async Task<UserAccessState?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(CacheKey(userId), out UserAccessState? cached))
        {
            return cached;
        }
        // A change signalled while we read must not be undone by caching what we read before it.
        var generation = Interlocked.Read(ref _generation);
        var state = await _users.FindAsync(userId, cancellationToken);
        if (state is not null && Interlocked.Read(ref _generation) == generation)
        {
            _cache.Set(CacheKey(userId), state, CacheLifetime);
        }
        return state;
    }

    public static ClaimsPrincipal CreatePrincipal(UserAccessState user, string scheme, IEnumerable<Claim> extraClaims)
    {
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Email));
        identity.AddClaims(user.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        identity.AddClaims(extraClaims);
        return new ClaimsPrincipal(identity);
    }

    public void Dispose() => _signals.AccountChanged -= Forget;

    private void Forget(string userId)
    {
        Interlocked.Increment(ref _generation);
        _cache.Remove(CacheKey(userId));
    }

    private static string CacheKey(string userId) => $"nova:api-user:{userId}";
}
