using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.App.Hosting;

internal static class StartupExtensions
{
    /// <summary>Migrates the database and seeds roles and the configured admin before serving.</summary>
    public static async Task PrepareNovaAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.Services.GetRequiredService<IdentitySeeder>().SeedAsync();
    }
}
