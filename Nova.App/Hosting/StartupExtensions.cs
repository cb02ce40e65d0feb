using Nova.Services.Chat;
using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.App.Hosting;

internal static class StartupExtensions
{
    /// <summary>Before serving: migrate, seed roles and the configured admin, mark answers a crash left unfinished.</summary>
    public static async Task PrepareNovaAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.Services.GetRequiredService<IdentitySeeder>().SeedAsync();
        await app.Services.GetRequiredService<GenerationRegistry>().RecoverInterruptedAsync();
    }
}
