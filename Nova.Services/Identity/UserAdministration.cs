using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;

namespace Nova.Services.Identity;

public sealed record UserSummary(
    string Id,
    string Email,
    string? DisplayName,
    bool IsAdmin,
    bool IsLocked,
    UserApproval Approval,
    DateTimeOffset CreatedAt);

public sealed record UserPage(IReadOnlyList<UserSummary> Users, int Total);

/// <summary>
/// Admin actions on users. Every change renews the user's security stamp and signals open
/// circuits, so it takes effect at once on cookies, circuits and tokens. An admin cannot demote,
/// lock or delete themselves, so an instance never loses its last admin by accident.
/// </summary>
public sealed class UserAdministration(
    NovaDbContext db,
    UserManager<NovaUser> users,
    UserSessionSignals signals,
    TimeProvider clock)
{
    public const int MaxPageSize = 100;

    public async Task<UserPage> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(term) || (u.DisplayName != null && u.DisplayName.ToUpper().Contains(term)));
        }
        var total = await query.CountAsync(cancellationToken);
        var adminRoleId = await db.Roles.Where(r => r.Name == NovaRoles.Admin).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var rows = await query
            .OrderBy(u => u.Approval == UserApproval.Pending ? 0 : 1).ThenBy(u => u.Email)
            .Skip(page * pageSize).Take(pageSize)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.DisplayName,
                IsAdmin = db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId),
                u.LockoutEnd,
                u.Approval,
                u.CreatedAt,
            })
            .ToListAsync(cancellationToken);
        return new UserPage(
            [.. rows.Select(r => new UserSummary(r.Id, r.Email ?? "", r.DisplayName, r.IsAdmin, r.LockoutEnd > now, r.Approval, r.CreatedAt))],
            total);
    }

    public Task ApproveAsync(string actingUserId, string userId) => ChangeAsync(actingUserId, userId, async user =>
    {
        user.Approval = UserApproval.Approved;
        return await users.UpdateAsync(user);
    });

    public Task SetAdminAsync(string actingUserId, string userId, bool admin) => ChangeAsync(actingUserId, userId, async user =>
        admin
            ? await users.IsInRoleAsync(user, NovaRoles.Admin) ? IdentityResult.Success : await users.AddToRoleAsync(user, NovaRoles.Admin)
            : await users.IsInRoleAsync(user, NovaRoles.Admin) ? await users.RemoveFromRoleAsync(user, NovaRoles.Admin) : IdentityResult.Success);

    public Task SetLockedAsync(string actingUserId, string userId, bool locked) => ChangeAsync(actingUserId, userId, async user =>
    {
        var enabled = await users.SetLockoutEnabledAsync(user, true);
        return enabled.Succeeded
            ? await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null)
            : enabled;
    });

    public Task DeleteAsync(string actingUserId, string userId) => ChangeAsync(actingUserId, userId, users.DeleteAsync, renewStamp: false);

    private async Task ChangeAsync(string actingUserId, string userId, Func<NovaUser, Task<IdentityResult>> change, bool renewStamp = true)
    {
        if (actingUserId == userId)
        {
            throw new UserAdministrationException("You cannot change your own account from the admin area.");
        }
        var user = await users.FindByIdAsync(userId) ?? throw new UserAdministrationException("That user no longer exists.");
        var result = await change(user);
        if (result.Succeeded && renewStamp)
        {
            result = await users.UpdateSecurityStampAsync(user);
        }
        if (!result.Succeeded)
        {
            throw new UserAdministrationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        signals.Publish(userId);
    }
}

public sealed class UserAdministrationException(string message) : Exception(message);
