using Microsoft.Playwright;
using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Foundation;

public sealed class AdminAccessTests(BrowserFixture browser) : NovaBrowserTest(browser)
{
    [Fact]
    public async Task TheFirstUserReachesTheAdminAreaAndASecondUserIsRefused()
    {
        var admin = await NewPageAsync();
        await RegisterAsync(admin, "admin@example.com");
        await admin.GetByTestId("nav-admin").ClickAsync();
        await admin.GetByTestId("admin-users-link").ClickAsync();
        await Expect(admin.GetByTestId("user-row")).ToHaveCountAsync(1);

        var user = await NewPageAsync();
        await RegisterAsync(user, "user@example.com");
        await Expect(user.GetByTestId("nav-admin")).ToHaveCountAsync(0);
        await user.GotoAsync("admin/users");

        await Expect(user.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(user.GetByTestId("user-table")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task LockingAUserTakesAwayTheirOpenPageAtOnce()
    {
        var admin = await NewPageAsync();
        await RegisterAsync(admin, "admin@example.com");
        var user = await NewPageAsync();
        await RegisterAsync(user, "user@example.com");
        // Interactive first: the lock is to reach a running circuit (a circuit started after it is checked at its start).
        await WaitForInteractiveAsync(user);

        await GoToAsync(admin, "admin/users");
        await admin.Locator("[data-testid=user-actions][data-email='user@example.com'] [data-testid=user-lock]").ClickAsync();
        await Expect(admin.Locator("[data-testid=user-actions][data-email='user@example.com'] [data-testid=user-unlock]")).ToBeVisibleAsync();

        // The user's circuit is told and signs out; the protected page sends them to sign in.
        await user.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.Ordinal));
        await user.GotoAsync("");
        await Expect(user).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        var page = await NewPageAsync();
        await RegisterAsync(page, "admin@example.com");

        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.GotoAsync("admin");
        // The redirect to sign-in happens once the page is interactive, which takes a while on a loaded machine.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"), new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task TheShellWorksInLightDarkAndOnANarrowWindow()
    {
        var page = await NewPageAsync();
        await RegisterAsync(page, "admin@example.com");
        await GoToAsync(page, "admin/users");
        await Expect(page.GetByTestId("user-row")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "foundation-users-light");

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("user-row")).ToHaveCountAsync(1);
        var background = await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background')");
        Assert.Equal("rgba(11,13,20,1)", background.Replace(" ", ""));
        await ScreenshotAsync(page, "foundation-users-dark");

        await page.SetViewportSizeAsync(390, 800);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("user-row")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "foundation-users-narrow");
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The page scrolls sideways on a phone-sized window.");
    }
}
