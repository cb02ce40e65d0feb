using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.Retrieval;

/// <summary>Which collections a user may read: admins all, others those open to everyone or to one of their roles.</summary>
public sealed class CollectionAccess(IDbContextFactory<NovaDbContext> contexts)
{
    public async Task<IReadOnlySet<Guid>> ReadableAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return new HashSet<Guid>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collections = await db.Set<Collection>().AsNoTracking()
            .Select(c => new { c.Id, c.Visibility }).ToListAsync(cancellationToken);
        var admin = user.IsInRole(NovaRoles.Admin);
        return collections.Where(c => admin || c.Visibility == Collection.Everyone || user.IsInRole(c.Visibility))
            .Select(c => c.Id).ToHashSet();
    }
}
