using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.App.Hosting;

internal static class StartupExtensions
{
    /// <summary>
    /// Before serving: migrate, seed roles and the configured admin. Answers a crash left unfinished are ended
    /// by the replica heartbeat as it starts, once the database is migrated.
    /// </summary>
    public static async Task PrepareNovaAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.Services.GetRequiredService<IdentitySeeder>().SeedAsync();
        await AnnounceSetupTokenAsync(app);
    }

    /// <summary>Without an admin, once the server listens on a non-loopback address, the log gives the first account's setup token.</summary>
    private static async Task AnnounceSetupTokenAsync(WebApplication app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<AccountRegistration>().NeedsFirstAdminAsync())
            {
                return;
            }
        }
        var setup = app.Services.GetRequiredService<FirstAccountSetup>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (setup.IsRequired)
            {
                app.Logger.LogWarning("Nova has no administrator yet and is reachable from the network. Creating the first account " +
                    "(which becomes the administrator) needs this one-time setup token on the Register page: {SetupToken}", setup.Token);
            }
        });
    }
}
