using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Tests.Api.Rest;

namespace Nova.Tests.Api.Accounts;

/// <summary>What a password sign-in answers, as the person or client making it can tell.</summary>
public enum SignInAnswer
{
    SignedIn,
    Invalid,
    LockedOut,
    AwaitingApproval,
    TwoFactorRequired,
}

/// <summary>
/// One set of sign-in cases, run against the login page and against <c>POST /api/v1/auth/token</c>:
/// both must give the same answer to the same attempt.
/// </summary>
public abstract class SignInContract : IAsyncLifetime
{
    private const string Wrong = "Wr0ng!Passw0rd";

    private RestApiApp _app = null!;

    private protected abstract Task<SignInAnswer> AttemptAsync(RestApiApp app, string email, string password);

    public async Task InitializeAsync()
    {
        _app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite, ("Nova:Registration:Mode", "ApprovalRequired"));
        var admin = await _app.RegisterAsync("admin@example.com");
        var user = await _app.RegisterAsync("user@example.com");
        var twoFactor = await _app.RegisterAsync("2fa@example.com");
        await _app.RegisterAsync("pending@example.com");
        await _app.AdministerAsync(async a =>
        {
            await a.ApproveAsync(admin, user);
            await a.ApproveAsync(admin, twoFactor);
        });
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
        var withAuthenticator = (await users.FindByIdAsync(twoFactor))!;
        await users.ResetAuthenticatorKeyAsync(withAuthenticator);
        await users.SetTwoFactorEnabledAsync(withAuthenticator, true);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheRightPasswordSignsIn() =>
        Assert.Equal(SignInAnswer.SignedIn, await AttemptAsync(_app, "user@example.com", RestApiApp.Password));

    [Fact]
    public async Task AnUnknownEmailAndAWrongPasswordGetTheSameAnswer()
    {
        Assert.Equal(SignInAnswer.Invalid, await AttemptAsync(_app, "nobody@example.com", RestApiApp.Password));
        Assert.Equal(SignInAnswer.Invalid, await AttemptAsync(_app, "user@example.com", Wrong));
    }

    [Fact]
    public async Task TheAttemptThatLocksTheAccountSaysSoAndTheRightPasswordIsThenRefused()
    {
        await FailAsync("user@example.com", times: 4);

        Assert.Equal(SignInAnswer.LockedOut, await AttemptAsync(_app, "user@example.com", Wrong));
        Assert.Equal(SignInAnswer.LockedOut, await AttemptAsync(_app, "user@example.com", RestApiApp.Password));
    }

    [Fact]
    public async Task APendingAccountHearsItWaitsOnlyWithTheRightPassword()
    {
        Assert.Equal(SignInAnswer.Invalid, await AttemptAsync(_app, "pending@example.com", Wrong));
        Assert.Equal(SignInAnswer.AwaitingApproval, await AttemptAsync(_app, "pending@example.com", RestApiApp.Password));
    }

    [Fact]
    public async Task WrongGuessesAtAPendingAccountLockItOnTheFifthAndSaySo()
    {
        await FailAsync("pending@example.com", times: 4);

        Assert.Equal(SignInAnswer.LockedOut, await AttemptAsync(_app, "pending@example.com", Wrong));
        Assert.Equal(SignInAnswer.LockedOut, await AttemptAsync(_app, "pending@example.com", RestApiApp.Password));
    }

    [Fact]
    public async Task APendingAccountsRightPasswordClearsItsEarlierFailures()
    {
        await FailAsync("pending@example.com", times: 4);
        Assert.Equal(SignInAnswer.AwaitingApproval, await AttemptAsync(_app, "pending@example.com", RestApiApp.Password));

        Assert.Equal(SignInAnswer.Invalid, await AttemptAsync(_app, "pending@example.com", Wrong));
        Assert.Equal(SignInAnswer.AwaitingApproval, await AttemptAsync(_app, "pending@example.com", RestApiApp.Password));
    }

    [Fact]
    public async Task AnAccountWithTwoFactorNeedsTheSecondStepAfterTheRightPasswordOnly()
    {
        Assert.Equal(SignInAnswer.Invalid, await AttemptAsync(_app, "2fa@example.com", Wrong));
        Assert.Equal(SignInAnswer.TwoFactorRequired, await AttemptAsync(_app, "2fa@example.com", RestApiApp.Password));
    }

    private async Task FailAsync(string email, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(SignInAnswer.Invalid, await AttemptAsync(_app, email, $"{Wrong}{i}"));
        }
    }
}

public sealed class LoginPageSignInTests : SignInContract
{
    private protected override async Task<SignInAnswer> AttemptAsync(RestApiApp app, string email, string password)
    {
        using var browser = new FormBrowser(app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        var page = await browser.SignInAsync(email, password);
        return page switch
        {
            { Path: "/Account/Lockout" } => SignInAnswer.LockedOut,
            { Path: "/Account/LoginWith2fa" } => SignInAnswer.TwoFactorRequired,
            _ when page.TestIdText("awaiting-approval") is not null => SignInAnswer.AwaitingApproval,
            _ when page.TestIdText("account-status") == "Invalid email or password." => SignInAnswer.Invalid,
            _ when await browser.IsSignedInAsync() => SignInAnswer.SignedIn,
            _ => throw new InvalidOperationException($"The login page answered {page.Status} at {page.Url}."),
        };
    }
}

public sealed class TokenEndpointSignInTests : SignInContract
{
    private protected override async Task<SignInAnswer> AttemptAsync(RestApiApp app, string email, string password)
    {
        using var client = app.Client();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        var body = await response.Content.ReadAsStringAsync();
        var detail = response.IsSuccessStatusCode ? null : TokenTests.Detail(body);
        return (response.StatusCode, detail) switch
        {
            (HttpStatusCode.OK, _) => SignInAnswer.SignedIn,
            (HttpStatusCode.Unauthorized, "Invalid email or password.") => SignInAnswer.Invalid,
            (HttpStatusCode.Unauthorized, { } d) when d.Contains("locked") => SignInAnswer.LockedOut,
            (HttpStatusCode.Forbidden, { } d) when d.Contains("approval") => SignInAnswer.AwaitingApproval,
            (HttpStatusCode.Forbidden, { } d) when d.Contains("two-factor") => SignInAnswer.TwoFactorRequired,
            _ => throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode}: {body}"),
        };
    }
}
