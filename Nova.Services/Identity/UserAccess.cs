using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;

namespace Nova.Services.Identity;

/// <summary>What decides a user's access, as the database says now.</summary>
public sealed record UserAccessState(
    string Id,
    string Email,
    string SecurityStamp,
    UserApproval Approval,
    DateTimeOffset? LockoutEnd,
    IReadOnlyList<string> Roles)
{
    /// <summary>Approved and not locked: what Identity requires of a sign-in.</summary>
    public bool CanSignIn(DateTimeOffset now) => Approval == UserApproval.Approved && !(LockoutEnd > now);
}

/// <summary>
/// The one lookup of a user's approval, lockout and roles, for checks made outside a sign-in: API
/// tokens and keys on every request, collection access for a generation. Lockout counts as Identity
/// counts it, only while lockout is enabled for the account.
/// </summary>
public sealed class UserAccess(IDbContextFactory<NovaDbContext> contexts)
{
    /// <summary>The user's state now, or null when the account no longer exists.</summary>
    public async Task<UserAccessState?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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
        return new UserAccessState(userId, user.Email ?? "", user.SecurityStamp ?? "", user.Approval,
            user.LockoutEnabled ? user.LockoutEnd : null, roles);
    }
}
