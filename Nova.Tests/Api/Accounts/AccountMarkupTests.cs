namespace Nova.Tests.Api.Accounts;

/// <summary>Browser tests find the account forms by these ids; they must sit on the real controls.</summary>
public sealed class AccountMarkupTests
{
    [Theory]
    [InlineData("/Account/Register", "register-email", "input", "Input.Email")]
    [InlineData("/Account/Register", "register-password", "input", "Input.Password")]
    [InlineData("/Account/Register", "register-confirm", "input", "Input.ConfirmPassword")]
    [InlineData("/Account/Register", "register-submit", "button", null)]
    [InlineData("/Account/Login", "login-email", "input", "Input.Email")]
    [InlineData("/Account/Login", "login-password", "input", "Input.Password")]
    [InlineData("/Account/Login", "login-submit", "button", null)]
    public async Task TheTestIdSitsOnTheControlThatPosts(string url, string testId, string tag, string? name)
    {
        await using var app = await AccountsApp.StartAsync();
        using var browser = app.NewBrowser();

        var page = await browser.GetAsync(url);

        var element = page.Document.QuerySelector($"[data-testid='{testId}']");
        Assert.NotNull(element);
        Assert.Equal(tag, element.LocalName);
        if (name is null)
        {
            Assert.Equal("submit", element.GetAttribute("type"));
        }
        else
        {
            Assert.Equal(name, element.GetAttribute("name"));
        }
        Assert.NotNull(element.Closest("form")?.QuerySelector("input[name='__RequestVerificationToken']"));
    }

    [Fact]
    public async Task TheAccountPagesShowNoLinkToAPageThatDoesNotExist()
    {
        await using var app = await AccountsApp.StartAsync();
        using var browser = app.NewBrowser();
        await browser.RegisterAsync("me@example.com");
        string[] pages = ["/Account/Manage", "/Account/Manage/Email", "/Account/Manage/ChangePassword", "/Account/Manage/TwoFactorAuthentication",
            "/Account/Manage/PersonalData", "/Account/Manage/DeletePersonalData", "/Account/Manage/EnableAuthenticator", "/Account/Lockout", "/Account/AwaitingApproval"];
        using var anonymous = app.NewBrowser();
        string[] anonymousPages = ["/Account/Login", "/Account/Register"];

        var links = new HashSet<string>();
        foreach (var (client, url) in pages.Select(p => (browser, p)).Concat(anonymousPages.Select(p => (anonymous, p))))
        {
            var page = await client.GetAsync(url);
            foreach (var href in page.Document.QuerySelectorAll("main a[href], .account-page a[href], .manage-page a[href]").Select(a => a.GetAttribute("href")!))
            {
                // Relative links resolve against <base href="/">, as in a browser.
                links.Add(new Uri(new Uri(page.Url, "/"), href).PathAndQuery);
            }
        }

        Assert.NotEmpty(links);
        foreach (var link in links.Where(l => l.StartsWith("/Account", StringComparison.Ordinal)))
        {
            var target = await browser.GetAsync(link);
            Assert.True(target.Status == System.Net.HttpStatusCode.OK, $"{link} answered {target.Status}");
        }
    }
}
