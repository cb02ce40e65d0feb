namespace Nova.Tests.Api.Accounts;

public sealed class ManageFormTests
{
    [Fact]
    public async Task ChangingThePasswordMakesTheNewOneWorkAndTheOldOneFail()
    {
        await using var app = await AccountsApp.StartAsync();
        using var me = app.NewBrowser();
        await me.RegisterAsync("me@example.com");
        const string NewPassword = "N3w!Passw0rd";

        var changed = await me.SubmitAsync("/Account/Manage/ChangePassword",
            ("Input.OldPassword", AccountsApp.Password), ("Input.NewPassword", NewPassword), ("Input.ConfirmPassword", NewPassword));

        Assert.Equal("Your password has been changed.", changed.TestIdText("account-status"));
        Assert.True(await me.IsSignedInAsync());
        using var later = app.NewBrowser();
        Assert.Equal("Invalid email or password.", (await later.SignInAsync("me@example.com", AccountsApp.Password)).TestIdText("account-status"));
        Assert.Equal("/", (await later.SignInAsync("me@example.com", NewPassword)).Path);
    }

    [Fact]
    public async Task AWrongCurrentPasswordDoesNotChangeThePassword()
    {
        await using var app = await AccountsApp.StartAsync();
        using var me = app.NewBrowser();
        await me.RegisterAsync("me@example.com");

        var refused = await me.SubmitAsync("/Account/Manage/ChangePassword",
            ("Input.OldPassword", "Wr0ng!Password"), ("Input.NewPassword", "N3w!Passw0rd"), ("Input.ConfirmPassword", "N3w!Passw0rd"));

        Assert.Equal("The current password is incorrect.", refused.TestIdText("account-status"));
        Assert.True(await app.WithUsersAsync(async u => await u.CheckPasswordAsync((await u.FindByEmailAsync("me@example.com"))!, AccountsApp.Password)));
    }

    [Fact]
    public async Task TheDisplayNameChangesAndAnOverLongOneIsRefused()
    {
        await using var app = await AccountsApp.StartAsync();
        using var me = app.NewBrowser();
        await me.RegisterAsync("me@example.com", displayName: "Before");

        var saved = await me.SubmitAsync("/Account/Manage", ("Input.DisplayName", "After"));
        var refused = await me.SubmitAsync("/Account/Manage", ("Input.DisplayName", new string('x', 101)));

        Assert.Equal("Your profile has been updated.", saved.TestIdText("account-status"));
        Assert.Contains("at most 100 characters", refused.Document.QuerySelector(".validation-message")?.TextContent);
        Assert.Equal("After", (await app.FindUserAsync("me@example.com"))!.DisplayName);
        Assert.Equal("After", (await me.GetAsync("/Account/Manage")).Document.QuerySelector("[data-testid='profile-display-name']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task TheEmailChangesWithThePasswordAndIsThenUsedToSignIn()
    {
        await using var app = await AccountsApp.StartAsync();
        using var me = app.NewBrowser();
        await me.RegisterAsync("old@example.com");
        using (var other = app.NewBrowser())
        {
            await other.RegisterAsync("taken@example.com");
        }

        var wrongPassword = await me.SubmitAsync("/Account/Manage/Email", ("Input.NewEmail", "new@example.com"), ("Input.Password", "Wr0ng!Password"));
        var taken = await me.SubmitAsync("/Account/Manage/Email", ("Input.NewEmail", "taken@example.com"), ("Input.Password", AccountsApp.Password));
        var changed = await me.SubmitAsync("/Account/Manage/Email", ("Input.NewEmail", "new@example.com"), ("Input.Password", AccountsApp.Password));

        Assert.Equal("The password is incorrect.", wrongPassword.TestIdText("account-status"));
        Assert.Equal("Email 'taken@example.com' is already taken.", taken.TestIdText("account-status"));
        Assert.StartsWith("Your email has been changed.", changed.TestIdText("account-status"));
        Assert.True(await me.IsSignedInAsync());
        Assert.Null(await app.FindUserAsync("old@example.com"));
        using var later = app.NewBrowser();
        Assert.Equal("/", (await later.SignInAsync("new@example.com", AccountsApp.Password)).Path);
        Assert.Equal("/Account/Login", (await later.SignInAsync("old@example.com", AccountsApp.Password)).Path);
    }

    [Fact]
    public async Task TheOnlyAdminCannotDeleteTheirAccountButAUserCan()
    {
        await using var app = await AccountsApp.StartAsync();
        using var admin = app.NewBrowser();
        await admin.RegisterAsync("admin@example.com");
        using var user = app.NewBrowser();
        await user.RegisterAsync("user@example.com");

        var refused = await admin.SubmitAsync("/Account/Manage/DeletePersonalData", ("Input.Password", AccountsApp.Password));
        var wrongPassword = await user.SubmitAsync("/Account/Manage/DeletePersonalData", ("Input.Password", "Wr0ng!Password"));
        await user.SubmitAsync("/Account/Manage/DeletePersonalData", ("Input.Password", AccountsApp.Password));

        Assert.StartsWith("You are the only administrator.", refused.TestIdText("account-status"));
        Assert.NotNull(await app.FindUserAsync("admin@example.com"));
        Assert.Equal("The password is incorrect.", wrongPassword.TestIdText("account-status"));
        Assert.Null(await app.FindUserAsync("user@example.com"));
        Assert.False(await user.IsSignedInAsync());
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task TwoFactorStepsWithoutAPasswordStepStartOverAtSignIn(string url)
    {
        await using var app = await AccountsApp.StartAsync();
        using var browser = app.NewBrowser();

        var page = await browser.GetAsync(url);

        Assert.Equal("/Account/Login", page.Path);
    }

    [Fact]
    public async Task ManagePagesSendAnonymousVisitorsToSignIn()
    {
        await using var app = await AccountsApp.StartAsync();
        using var browser = app.NewBrowser();

        var page = await browser.GetAsync("/Account/Manage/ChangePassword");

        Assert.Equal("/Account/Login", page.Path);
    }
}
