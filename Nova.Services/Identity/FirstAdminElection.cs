using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;

namespace Nova.Services.Identity;

/// <summary>The database's primary key decides which account is the first admin.</summary>
internal static class FirstAdminElection
{
    public static async Task<bool> TryClaimAsync(NovaDbContext db, string userId, TimeProvider clock)
    {
        if (await db.FirstAdminClaims.AnyAsync())
        {
            return false;
        }
        var claim = new FirstAdminClaim { UserId = userId, ClaimedAt = clock.GetUtcNow() };
        db.FirstAdminClaims.Add(claim);
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(claim).State = EntityState.Detached;
            return false;
        }
    }
}
