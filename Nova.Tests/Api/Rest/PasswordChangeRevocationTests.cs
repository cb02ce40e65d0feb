using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Nova.Services.Data;
using Nova.Tests.Api.Accounts;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Rest;

/// <summary>A password change ends what the old password created: every API key of the account.</summary>
public sealed class PasswordChangeRevocationTests
{
    private const string NewPassword = "N3w!Passw0rdToo";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ChangingThePasswordOnTheManagePageRevokesAllTheUsersApiKeys(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        await app.RegisterAsync("owner@example.com");
        await app.RegisterAsync("user@example.com");
        var (_, laptop) = await app.CreateKeyAsync(await app.TokenAsync("user@example.com"), "laptop");
        var (_, runner) = await app.CreateKeyAsync(await app.TokenAsync("user@example.com"), "ci runner");
        var (_, othersKey) = await app.CreateKeyAsync(await app.TokenAsync("owner@example.com"), "owner's");
        Assert.Equal(HttpStatusCode.OK, await MeAsync(app, laptop));

        using var browser = new FormBrowser(app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        await browser.SignInAsync("user@example.com", RestApiApp.Password);
        var changed = await browser.SubmitAsync("/Account/Manage/ChangePassword",
            ("Input.OldPassword", RestApiApp.Password), ("Input.NewPassword", NewPassword), ("Input.ConfirmPassword", NewPassword));

        Assert.Equal("Your password has been changed.", changed.TestIdText("account-status"));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(app, laptop));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(app, runner));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(app, othersKey));
    }

    private static async Task<HttpStatusCode> MeAsync(RestApiApp app, string key)
    {
        using var client = app.Client(key);
        using var response = await client.GetAsync("/api/v1/auth/me");
        return response.StatusCode;
    }
}
