using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Data;

namespace Nova.Services.Identity;

/// <summary>Creates the roles and, when <c>Nova:Admin</c> is set, the seeded admin.</summary>
public sealed class IdentitySeeder(
    IServiceScopeFactory scopes,
    IOptions<AdminSeedOptions> adminSeed,
    TimeProvider clock,
    ILogger<IdentitySeeder> logger)
{
    public async Task SeedAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in NovaRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                // Another instance may create it at the same moment; its unique index wins and we move on.
                var result = await roles.CreateAsync(new IdentityRole(role));
                if (!result.Succeeded && !await roles.RoleExistsAsync(role))
                {
                    throw new InvalidOperationException($"Could not create role {role}: {Describe(result)}");
                }
            }
        }
        await SeedAdminAsync(scope.ServiceProvider);
    }

    private async Task SeedAdminAsync(IServiceProvider services)
    {
        var (email, password) = (adminSeed.Value.Email, adminSeed.Value.Password);
        if (string.IsNullOrWhiteSpace(email))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(password))
        {
            throw new InvalidOperationException($"Setting '{AdminSeedOptions.Section}:Password' is required when '{AdminSeedOptions.Section}:Email' is set.");
        }
        var users = services.GetRequiredService<UserManager<NovaUser>>();
        var db = services.GetRequiredService<NovaDbContext>();
        var seeded = await db.SeededAdmins.AsNoTracking().SingleOrDefaultAsync();
        var admin = seeded is null ? await ClaimAccountAsync(users, db, email, password) : await users.FindByIdAsync(seeded.UserId);
        if (admin is null)
        {
            logger.LogWarning("The account seeded from '{Section}' (user id {UserId}) was deleted; the seed does not create another. Remove '{Section}' from the configuration.",
                AdminSeedOptions.Section, seeded?.UserId, AdminSeedOptions.Section);
            return;
        }
        if (!string.Equals(admin.NormalizedEmail, users.NormalizeEmail(email), StringComparison.Ordinal))
        {
            // The seeded admin changed their email; whoever holds the configured address now is someone else.
            logger.LogWarning("'{Section}:Email' is {Configured}, but the account the seed created now uses {Current}. The seed keeps that account as its admin and creates no other; update or remove '{Section}'.",
                AdminSeedOptions.Section, email, admin.Email, AdminSeedOptions.Section);
        }
        foreach (var role in NovaRoles.All)
        {
            if (!await users.IsInRoleAsync(admin, role))
            {
                await users.AddToRoleAsync(admin, role);
            }
        }
        await FirstAdminElection.TryClaimAsync(db, admin.Id, clock);
    }

    /// <summary>
    /// The first time the seed runs it takes the account it creates, or an existing one that proves the
    /// configured password (an admin seeded before the seed recorded its account). Any other holder of
    /// the address took it by registering or changing their email, and gets nothing.
    /// </summary>
    private async Task<NovaUser?> ClaimAccountAsync(UserManager<NovaUser> users, NovaDbContext db, string email, string password)
    {
        var account = await users.FindByEmailAsync(email);
        var created = account is null;
        if (account is null)
        {
            account = new NovaUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
            var result = await users.CreateAsync(account, password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Setting '{AdminSeedOptions.Section}' could not seed the admin: {Describe(result)}");
            }
            logger.LogInformation("Seeded admin {Email}", email);
        }
        else if (!await users.CheckPasswordAsync(account, password))
        {
            throw new InvalidOperationException(
                $"Setting '{AdminSeedOptions.Section}:Email' names {email}, an account the admin seed did not create and whose password is not " +
                $"'{AdminSeedOptions.Section}:Password'. Nova does not give the Admin role to an account it did not create: choose an address " +
                $"no account uses, or remove '{AdminSeedOptions.Section}' and grant the role from an admin account.");
        }
        db.SeededAdmins.Add(new SeededAdmin { UserId = account.Id, SeededAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync();
            return account;
        }
        catch (DbUpdateException)
        {
            // Another instance seeding at the same moment recorded its account first: that one is the admin.
            db.ChangeTracker.Clear();
            if (created)
            {
                await users.DeleteAsync(account);
            }
            var winner = await db.SeededAdmins.AsNoTracking().SingleAsync();
            return await users.FindByIdAsync(winner.UserId);
        }
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
