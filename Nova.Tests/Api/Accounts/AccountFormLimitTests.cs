using System.Net;
using Nova.Services.Identity;

namespace Nova.Tests.Api.Accounts;

/// <summary>Account forms are limited per client address, whichever accounts the posts name.</summary>
public sealed class AccountFormLimitTests
{
    [Fact]
    public async Task SprayingPasswordsAcrossAccountsFromOneAddressMeetsALimitWithAMessageOnThePage()
    {
        await using var app = await AccountsApp.StartAsync(RegistrationMode.Open, ("Nova:AccountLimits:SignInAttemptsPerMinute", "3"));
        using var attacker = app.NewBrowser();

        for (var i = 0; i < 3; i++)
        {
            var allowed = await attacker.SignInAsync($"victim{i}@example.com", "Spr4y!Password");
            Assert.Equal("Invalid email or password.", allowed.TestIdText("account-status"));
        }
        var refused = await attacker.SignInAsync("victim3@example.com", "Spr4y!Password");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Matches(@"^Too many attempts from your network\. Try again in \d+ seconds?\.$", refused.TestIdText("account-status"));
        Assert.NotNull(refused.Document.QuerySelector("form"));
    }

    [Fact]
    public async Task OpeningTheSignInPageDoesNotSpendTheBudget()
    {
        await using var app = await AccountsApp.StartAsync(RegistrationMode.Open, ("Nova:AccountLimits:SignInAttemptsPerMinute", "1"));
        using var browser = app.NewBrowser();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Login")).Status);
        }

        var attempt = await browser.SignInAsync("someone@example.com", "Wr0ng!Password");

        Assert.Equal("Invalid email or password.", attempt.TestIdText("account-status"));
    }

    [Fact]
    public async Task AClientsOwnForwardedForHeaderDoesNotBuyItAnotherBudget()
    {
        await using var app = await AccountsApp.StartAsync(RegistrationMode.Open, ("Nova:AccountLimits:SignInAttemptsPerMinute", "1"));
        using var attacker = app.NewBrowser();

        attacker.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.1");
        await attacker.SignInAsync("victim@example.com", "Spr4y!Password");
        attacker.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
        attacker.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.2");
        var refused = await attacker.SignInAsync("victim@example.com", "Spr4y!Password");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
    }

    [Fact]
    public async Task MassRegistrationFromOneAddressMeetsALimitAndCreatesNoMoreAccounts()
    {
        await using var app = await AccountsApp.StartAsync(RegistrationMode.Open, ("Nova:AccountLimits:RegistrationsPerHour", "2"));
        for (var i = 0; i < 2; i++)
        {
            using var browser = app.NewBrowser();
            await browser.RegisterAsync($"bot{i}@example.com");
        }
        using var next = app.NewBrowser();

        var refused = await next.RegisterAsync("bot2@example.com");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.StartsWith("Too many attempts from your network.", refused.TestIdText("account-status"));
        Assert.Equal(2, await app.CountUsersAsync());
    }
}
