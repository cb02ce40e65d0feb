using Microsoft.AspNetCore.Identity;
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
        var admin = await users.FindByEmailAsync(email);
        if (admin is null)
        {
            admin = new NovaUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(admin, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Setting '{AdminSeedOptions.Section}' could not seed the admin: {Describe(created)}");
            }
            logger.LogInformation("Seeded admin {Email}", email);
        }
        foreach (var role in NovaRoles.All)
        {
            if (!await users.IsInRoleAsync(admin, role))
            {
                await users.AddToRoleAsync(admin, role);
            }
        }
        await FirstAdminElection.TryClaimAsync(services.GetRequiredService<NovaDbContext>(), admin.Id, clock);
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
