namespace Nova.Tests.Api.Accounts;

public sealed class LoginFormTests
{
    [Fact]
    public async Task AnUnknownEmailAndAWrongPasswordGetTheSameAnswer()
    {
        await using var app = await AccountsApp.StartAsync();
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync("known@example.com");
        }
        using var browser = app.NewBrowser();

        var unknown = await browser.SignInAsync("nobody@example.com", AccountsApp.Password);
        var wrong = await browser.SignInAsync("known@example.com", "Wr0ng!Password");

        Assert.Equal("Invalid email or password.", unknown.TestIdText("account-status"));
        Assert.Equal(unknown.TestIdText("account-status"), wrong.TestIdText("account-status"));
        Assert.Equal(unknown.Path, wrong.Path);
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountAndTheRightOneIsThenRefused()
    {
        await using var app = await AccountsApp.StartAsync();
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync("victim@example.com");
        }
        using var attacker = app.NewBrowser();

        for (var attempt = 1; attempt < 5; attempt++)
        {
            var failed = await attacker.SignInAsync("victim@example.com", $"Wr0ng!Guess{attempt}");
            Assert.Equal("/Account/Login", failed.Path);
        }
        var fifth = await attacker.SignInAsync("victim@example.com", "Wr0ng!Guess5");
        Assert.Equal("/Account/Lockout", fifth.Path);
        Assert.NotNull(fifth.TestIdText("locked-out"));

        using var owner2 = app.NewBrowser();
        var sixth = await owner2.SignInAsync("victim@example.com", AccountsApp.Password);
        Assert.Equal("/Account/Lockout", sixth.Path);
        Assert.False(await owner2.IsSignedInAsync());
        Assert.True(await app.WithUsersAsync(async users => await users.IsLockedOutAsync((await users.FindByEmailAsync("victim@example.com"))!)));
    }

    [Fact]
    public async Task TheRightPasswordSignsInAndGoesToTheLocalReturnUrlOnly()
    {
        await using var app = await AccountsApp.StartAsync();
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync("me@example.com");
        }
        using var browser = app.NewBrowser();
        var local = await (await browser.OpenFormAsync("/Account/Login?ReturnUrl=%2FAccount%2FManage%2FEmail"))
            .PostAsync([KeyValuePair.Create("Input.Email", "me@example.com"), KeyValuePair.Create("Input.Password", AccountsApp.Password)]);
        Assert.Equal("/Account/Manage/Email", local.Path);

        using var other = app.NewBrowser();
        var offsite = await (await other.OpenFormAsync("/Account/Login?ReturnUrl=https%3A%2F%2Fevil.example%2F"))
            .PostAsync([KeyValuePair.Create("Input.Email", "me@example.com"), KeyValuePair.Create("Input.Password", AccountsApp.Password)]);
        Assert.Equal("localhost", offsite.Url.Host);
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("Account/Manage", "/Account/Manage")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    public async Task SigningOutEndsTheSessionAndStaysOnTheSite(string returnUrl, string expectedLocation)
    {
        await using var app = await AccountsApp.StartAsync();
        using var me = app.NewBrowser();
        await me.RegisterAsync("me@example.com");
        var page = await me.GetAsync("/Account/Manage");
        var token = page.Document.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

        using var response = await me.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent(
            [KeyValuePair.Create("__RequestVerificationToken", token), KeyValuePair.Create("ReturnUrl", returnUrl)]));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expectedLocation, response.Headers.Location!.OriginalString);
        Assert.False(await me.IsSignedInAsync());
    }
}
