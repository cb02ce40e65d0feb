using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.Retrieval;

/// <summary>Which collections a user may read: admins all, others those open to everyone or to one of their roles.</summary>
public sealed class CollectionAccess(IDbContextFactory<NovaDbContext> contexts, TimeProvider time, UserAccess users)
{
    /// <summary>What the roles in <paramref name="user"/>'s claims allow (a request or circuit, checked as it arrives).</summary>
    public async Task<IReadOnlySet<Guid>> ReadableAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return new HashSet<Guid>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ReadableAsync(db, user.IsInRole, cancellationToken);
    }

    /// <summary>
    /// What the user's roles allow now, read from the database rather than from claims, for work that runs
    /// outside a request (a generation): a demoted user loses access at once. A locked, unapproved or
    /// deleted user may read nothing.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> ReadableAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.FindAsync(userId, cancellationToken);
        if (user is null || !user.CanSignIn(time.GetUtcNow()))
        {
            return new HashSet<Guid>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ReadableAsync(db, user.Roles.Contains, cancellationToken);
    }

    private static async Task<IReadOnlySet<Guid>> ReadableAsync(NovaDbContext db, Func<string, bool> isInRole, CancellationToken cancellationToken)
    {
        var collections = await db.Set<Collection>().AsNoTracking()
            .Select(c => new { c.Id, c.Visibility }).ToListAsync(cancellationToken);
        var admin = isInRole(NovaRoles.Admin);
        return collections.Where(c => admin || c.Visibility == Collection.Everyone || isInRole(c.Visibility))
            .Select(c => c.Id).ToHashSet();
    }
}
