using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.Tests.Api.Accounts;

public sealed class RegistrationFormTests
{
    [Fact]
    public async Task TheFirstRegistrationIsAdminAndSignedInAndTheSecondIsAUser()
    {
        await using var app = await AccountsApp.StartAsync();
        using var first = app.NewBrowser();
        using var second = app.NewBrowser();

        var firstPage = await first.RegisterAsync("first@example.com", displayName: "  Ada  ");
        var secondPage = await second.RegisterAsync("second@example.com");

        Assert.Equal("/", firstPage.Path);
        Assert.Equal("/", secondPage.Path);
        Assert.True(await first.IsSignedInAsync());
        Assert.True(await second.IsSignedInAsync());
        Assert.Equal([NovaRoles.Admin, NovaRoles.User], (await app.RolesOfAsync("first@example.com")).Order());
        Assert.Equal([NovaRoles.User], await app.RolesOfAsync("second@example.com"));
        Assert.Equal("Ada", (await app.FindUserAsync("first@example.com"))!.DisplayName);
    }

    [Fact]
    public async Task TwoRegistrationsRacingOnAnEmptyDatabaseMakeExactlyOneAdmin()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var app = await AccountsApp.StartAsync();
            using var one = app.NewBrowser();
            using var two = app.NewBrowser();
            var formOne = await one.OpenFormAsync("/Account/Register");
            var formTwo = await two.OpenFormAsync("/Account/Register");

            await Task.WhenAll(
                formOne.PostAsync(AccountForms.Registration("one@example.com").Select(f => KeyValuePair.Create(f.Item1, f.Item2))),
                formTwo.PostAsync(AccountForms.Registration("two@example.com").Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

            var roles = new[] { await app.RolesOfAsync("one@example.com"), await app.RolesOfAsync("two@example.com") };
            Assert.Single(roles, r => r.Contains(NovaRoles.Admin));
            Assert.All(roles, r => Assert.Contains(NovaRoles.User, r));
        }
    }

    [Fact]
    public async Task FieldsARegistrationDoesNotAskForAreIgnored()
    {
        await using var app = await AccountsApp.StartAsync(RegistrationMode.ApprovalRequired);
        using var admin = app.NewBrowser();
        await admin.RegisterAsync("admin@example.com");
        using var intruder = app.NewBrowser();

        var page = await intruder.SubmitAsync("/Account/Register",
        [
            .. AccountForms.Registration("intruder@example.com"),
            ("Role", NovaRoles.Admin), ("Input.Role", NovaRoles.Admin), ("Input.Roles", NovaRoles.Admin),
            ("EmailConfirmed", "true"), ("Input.EmailConfirmed", "true"),
            ("LockoutEnabled", "false"), ("Input.LockoutEnabled", "false"),
            ("Approval", "Approved"), ("Input.Approval", "Approved"), ("Input.Approval", "0"),
        ]);

        Assert.Equal("/Account/AwaitingApproval", page.Path);
        var user = await app.FindUserAsync("intruder@example.com");
        Assert.NotNull(user);
        Assert.Equal(UserApproval.Pending, user.Approval);
        Assert.False(user.EmailConfirmed);
        Assert.True(user.LockoutEnabled);
        Assert.Equal([NovaRoles.User], await app.RolesOfAsync("intruder@example.com"));
        Assert.False(await intruder.IsSignedInAsync());
    }

    [Theory]
    [InlineData(101, "")]
    [InlineData(5, "\u202E")]
    [InlineData(5, "\n")]
    public async Task AnOverLongOrDisguisedDisplayNameIsRefused(int length, string inserted)
    {
        await using var app = await AccountsApp.StartAsync();
        using var browser = app.NewBrowser();

        var page = await browser.RegisterAsync("long@example.com", displayName: new string('a', length) + inserted + "b");

        Assert.Equal("/Account/Register", page.Path);
        var message = page.Document.QuerySelector(".validation-message")?.TextContent ?? page.TestIdText("account-status");
        Assert.Contains(inserted == "" ? "at most 100 characters" : "control characters", message);
        Assert.Null(await app.FindUserAsync("long@example.com"));
    }

    [Fact]
    public async Task APendingUserCannotSignInAndIsToldTheyWaitForApproval()
    {
        await using var app = await AccountsApp.StartAsync(RegistrationMode.ApprovalRequired);
        using var admin = app.NewBrowser();
        Assert.Equal("/", (await admin.RegisterAsync("admin@example.com")).Path);
        using var pending = app.NewBrowser();

        var registered = await pending.RegisterAsync("pending@example.com");
        Assert.Equal("/Account/AwaitingApproval", registered.Path);
        Assert.Contains("waiting for an administrator's approval", registered.TestIdText("awaiting-approval"));

        var withRightPassword = await pending.SignInAsync("pending@example.com", AccountsApp.Password);
        Assert.Contains("waiting for an administrator's approval", withRightPassword.TestIdText("awaiting-approval"));
        Assert.False(await pending.IsSignedInAsync());

        // A wrong password must not reveal that the account exists and waits.
        var withWrongPassword = await pending.SignInAsync("pending@example.com", "Wr0ng!Password");
        Assert.Null(withWrongPassword.TestIdText("awaiting-approval"));
        Assert.Equal("Invalid email or password.", withWrongPassword.TestIdText("account-status"));
    }

    [Fact]
    public async Task ClosedRegistrationRefusesTheSecondAccount()
    {
        await using var app = await AccountsApp.StartAsync(RegistrationMode.Closed);
        using var late = app.NewBrowser();
        var lateForm = await late.OpenFormAsync("/Account/Register");
        using var first = app.NewBrowser();
        Assert.Equal("/", (await first.RegisterAsync("first@example.com")).Path);

        var refused = await lateForm.PostAsync(AccountForms.Registration("late@example.com").Select(f => KeyValuePair.Create(f.Item1, f.Item2)));

        Assert.Contains("Registration is closed", refused.Document.Body!.TextContent);
        Assert.Null(await app.FindUserAsync("late@example.com"));
        Assert.Equal(1, await app.CountUsersAsync());
        var page = await late.GetAsync("/Account/Register");
        Assert.NotNull(page.TestIdText("register-closed"));
        Assert.Null(page.Document.QuerySelector("[data-testid='register-submit']"));
    }

    [Theory]
    [InlineData("/Account/RegisterConfirmation?email=a@example.com")]
    [InlineData("/Account/ConfirmEmail")]
    [InlineData("/Account/ResendEmailConfirmation")]
    [InlineData("/Account/ForgotPassword")]
    [InlineData("/Account/ExternalLogin")]
    [InlineData("/Account/Manage/ExternalLogins")]
    [InlineData("/Account/Manage/Passkeys")]
    public async Task PagesOfFlowsNovaDoesNotOfferAreGone(string url)
    {
        await using var app = await AccountsApp.StartAsync();
        using var browser = app.NewBrowser();
        await browser.RegisterAsync("someone@example.com");

        var page = await browser.GetAsync(url);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, page.Status);
    }
}
