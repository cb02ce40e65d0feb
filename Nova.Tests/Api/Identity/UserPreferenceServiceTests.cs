using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Identity.Preferences;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Identity;

public sealed class UserPreferenceServiceTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SavedPreferencesComeBackForTheirOwnerOnly(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using var host = await NovaServices.StartAsync(database);
        var preferences = host.Services.GetRequiredService<UserPreferenceService>();
        var alice = await RegisterAsync(host, "alice@example.com");
        var bob = await RegisterAsync(host, "bob@example.com");

        Assert.Null(await preferences.FindAsync(alice));
        var dark = new UserPreferences(ThemePreference.Dark, EffectsEnabled: false, "qwen2.5:7b-instruct", EnterToSend: false);
        await preferences.SaveAsync(alice, dark);
        Assert.Equal(dark, await preferences.FindAsync(alice));
        Assert.Null(await preferences.FindAsync(bob));

        var changed = dark with { Theme = ThemePreference.System, DefaultModel = null, EnterToSend = true };
        await preferences.SaveAsync(alice, changed);
        Assert.Equal(changed, await preferences.FindAsync(alice));
        await using var db = host.CreateContext();
        Assert.Equal(1, await db.Set<SavedPreferences>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SavesRacingFromSeveralTabsOfANewUserAllSucceed(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using var host = await NovaServices.StartAsync(database);
        var preferences = host.Services.GetRequiredService<UserPreferenceService>();
        var alice = await RegisterAsync(host, "alice@example.com");
        var choices = Enumerable.Range(0, 8)
            .Select(i => new UserPreferences((ThemePreference)(i % 3), i % 2 == 0, $"model-{i}", i % 2 == 1))
            .ToList();

        await Task.WhenAll(choices.Select(c => Task.Run(() => preferences.SaveAsync(alice, c))));

        Assert.Contains(await preferences.FindAsync(alice), choices);
        await using var db = host.CreateContext();
        Assert.Equal(1, await db.Set<SavedPreferences>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DeletingAUserDeletesTheirPreferencesAndAnUnknownUserCannotSaveAny(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using var host = await NovaServices.StartAsync(database);
        var preferences = host.Services.GetRequiredService<UserPreferenceService>();
        var admin = await RegisterAsync(host, "admin@example.com");
        var leaving = await RegisterAsync(host, "leaving@example.com");
        await preferences.SaveAsync(leaving, UserPreferences.Default with { Theme = ThemePreference.Light });

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().DeleteAsync(admin, leaving);
        }

        Assert.Null(await preferences.FindAsync(leaving));
        await Assert.ThrowsAsync<DbUpdateException>(() => preferences.SaveAsync(leaving, UserPreferences.Default));
        Assert.Null(await preferences.FindAsync(leaving));
    }

    [Fact]
    public async Task ABlankModelMeansTheServerDefaultAndAMalformedOneIsRefused()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database);
        var preferences = host.Services.GetRequiredService<UserPreferenceService>();
        var alice = await RegisterAsync(host, "alice@example.com");

        var saved = await preferences.SaveAsync(alice, UserPreferences.Default with { DefaultModel = "  " });
        Assert.Null(saved.DefaultModel);
        Assert.Null((await preferences.FindAsync(alice))!.DefaultModel);
        Assert.Equal("padded", (await preferences.SaveAsync(alice, UserPreferences.Default with { DefaultModel = " padded " })).DefaultModel);

        await Assert.ThrowsAsync<ArgumentException>(() => preferences.SaveAsync(alice, UserPreferences.Default with { DefaultModel = new string('m', 201) }));
        await Assert.ThrowsAsync<ArgumentException>(() => preferences.SaveAsync(alice, UserPreferences.Default with { DefaultModel = "model\u0000x" }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => preferences.SaveAsync(alice, UserPreferences.Default with { Theme = (ThemePreference)7 }));
        Assert.Equal("padded", (await preferences.FindAsync(alice))!.DefaultModel);
    }

    private static async Task<string> RegisterAsync(IHost host, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(email, "Str0ng!Passw0rd", null);
        return result.User!.Id;
    }
}
