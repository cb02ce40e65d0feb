using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.App.Api.Auth;

/// <summary>What an API request needs to know about its user, as the database says now.</summary>
internal sealed record ApiUserState(
    string Id,
    string Email,
    string SecurityStamp,
    UserApproval Approval,
    DateTimeOffset? LockoutEnd,
    IReadOnlyList<string> Roles)
{
    public bool CanSignIn(DateTimeOffset now) => Approval == UserApproval.Approved && !(LockoutEnd > now);
}

/// <summary>
/// Looks up API callers on every request, so a lock, demotion or deletion stops their tokens and
/// keys at once. Lookups are cached for a few seconds; an account change in this process drops
/// the entry at once, and the short lifetime bounds the delay for changes made by other replicas.
/// </summary>
internal sealed class ApiUserDirectory : IDisposable
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private readonly IDbContextFactory<NovaDbContext> _contexts;
    private readonly IMemoryCache _cache;
    private readonly UserSessionSignals _signals;
    private long _generation;

    public ApiUserDirectory(IDbContextFactory<NovaDbContext> contexts, IMemoryCache cache, UserSessionSignals signals)
    {
        _contexts = contexts;
        _cache = cache;
        _signals = signals;
        _signals.AccountChanged += Forget;
    }

    public async Task<ApiUserState?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(CacheKey(userId), out ApiUserState? cached))
        {
            return cached;
        }
        // A change signalled while we read must not be undone by caching what we read before it.
        var generation = Interlocked.Read(ref _generation);
        var state = await LoadAsync(userId, cancellationToken);
        if (state is not null && Interlocked.Read(ref _generation) == generation)
        {
            _cache.Set(CacheKey(userId), state, CacheLifetime);
        }
        return state;
    }

    public static ClaimsPrincipal CreatePrincipal(ApiUserState user, string scheme, IEnumerable<Claim> extraClaims)
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

    private async Task<ApiUserState?> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Email, u.SecurityStamp, u.Approval, u.LockoutEnabled, u.LockoutEnd })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }
        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        return new ApiUserState(userId, user.Email ?? "", user.SecurityStamp ?? "", user.Approval,
            user.LockoutEnabled ? user.LockoutEnd : null, roles);
    }

    private static string CacheKey(string userId) => $"nova:api-user:{userId}";
}
