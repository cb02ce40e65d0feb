using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Identity;

/// <summary>On a network address, the first account (the first admin) needs the setup token from the log.</summary>
public sealed class FirstAccountSetupTests
{
    private const string Password = "Str0ng!Passw0rd";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-the-token")]
    public async Task OnANetworkAddressTheFirstAccountIsRefusedWithoutTheSetupToken(string? token)
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database, (NovaServices.ReachableFromNetwork, "true"));

        var result = await RegisterAsync(host, "first@example.com", token);

        Assert.False(result.Succeeded);
        Assert.Equal(FirstAccountSetup.RefusedMessage, Assert.Single(result.Errors));
        await using var db = host.CreateContext();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task OnANetworkAddressTheSetupTokenMakesTheFirstAccountAdminAndLaterOnesNeedNone()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database, (NovaServices.ReachableFromNetwork, "true"));
        var token = host.Services.GetRequiredService<FirstAccountSetup>().Token;

        var first = await RegisterAsync(host, "first@example.com", $" {token} ");
        var second = await RegisterAsync(host, "second@example.com", null);

        Assert.True(first.IsAdmin);
        Assert.True(second.Succeeded);
        Assert.False(second.IsAdmin);
    }

    [Fact]
    public async Task WithASeededAdminNoSetupTokenIsAsked()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database, (NovaServices.ReachableFromNetwork, "true"),
            ("Nova:Admin:Email", "boss@example.com"), ("Nova:Admin:Password", Password));

        var someone = await RegisterAsync(host, "someone@example.com", null);

        Assert.True(someone.Succeeded);
        Assert.False(someone.IsAdmin);
    }

    [Fact]
    public async Task OnLoopbackTheFirstAccountNeedsNoToken()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database);

        Assert.True((await RegisterAsync(host, "first@example.com", null)).IsAdmin);
    }

    private static async Task<RegistrationResult> RegisterAsync(IHost host, string email, string? setupToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(email, Password, null, setupToken);
    }
}
