using Microsoft.Playwright;
using Nova.Tests.Browser.Chat;
using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Settings;

/// <summary>The settings dialog as a user drives it: appearance, Enter to send and the default model.</summary>
public sealed class SettingsBrowserTests(BrowserFixture browser) : ChatBrowserTest(browser)
{
    // Chromium renders WebGL on the CPU here; the WASM runtime also has to boot on two busy cores.
    private static readonly LocatorAssertionsToHaveAttributeOptions SceneStart = new() { Timeout = 60_000 };

    public override Task InitializeAsync()
    {
        Model.Models = ["fake-model", "fake-large"];
        return base.InitializeAsync();
    }

    [Fact]
    public async Task ThemeAndEffectsApplyAtOnceStayAfterAReloadAndFollowTheUserToAnotherBrowser()
    {
        var scene = Page.GetByTestId("nova-scene");
        await Expect(scene).Not.ToHaveAttributeAsync("data-mode", "loading", SceneStart);
        var dialog = await OpenSettingsAsync(Page);
        await Expect(dialog.GetByTestId("settings-theme-system")).ToHaveAttributeAsync("aria-checked", "true");
        await ScreenshotAsync(Page, "settings-light");

        await dialog.GetByTestId("settings-theme-dark").ClickAsync();
        await Page.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(Page.Locator(".mud-dialog")).ToHaveCSSAsync("background-color", "rgb(21, 24, 35)");
        await dialog.GetByTestId("settings-effects").ClickAsync();
        await Expect(scene).ToHaveAttributeAsync("data-mode", "off");
        await Expect(scene.Locator("canvas")).ToHaveCountAsync(0);
        await Expect(dialog.GetByTestId("settings-effects")).Not.ToBeCheckedAsync();
        await ScreenshotAsync(Page, "settings-dark");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);

        await Page.ReloadAsync();
        await Page.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(scene).ToHaveAttributeAsync("data-mode", "off", SceneStart);

        // The app bar's toggle and the dialog show one theme.
        await WaitForInteractiveAsync(Page);
        await Page.GetByTestId("theme-toggle").ClickAsync();
        await Page.Locator("html[data-theme=light]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        dialog = await OpenSettingsAsync(Page);
        await Expect(dialog.GetByTestId("settings-theme-light")).ToHaveAttributeAsync("aria-checked", "true");
        await dialog.GetByTestId("settings-theme-dark").ClickAsync();
        await Page.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        var elsewhere = await NewPageAsync();
        await elsewhere.GotoAsync("Account/Login");
        await elsewhere.GetByTestId("login-email").FillAsync("user@example.com");
        await elsewhere.GetByTestId("login-password").FillAsync(Password);
        await elsewhere.GetByTestId("login-submit").ClickAsync();
        await WaitForInteractiveAsync(elsewhere);
        await elsewhere.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(elsewhere.GetByTestId("nova-scene")).ToHaveAttributeAsync("data-mode", "off", SceneStart);
        await elsewhere.ReloadAsync();
        // From now on this browser's own copy paints the page dark from the start.
        Assert.Equal("dark", await elsewhere.Locator("html").GetAttributeAsync("data-theme"));

        // Even a browser without any copy gets the account's palette in the prerendered page itself.
        var prerendered = await SignedInWithoutScriptsAsync(elsewhere.Context);
        await prerendered.GotoAsync("");
        Assert.Null(await prerendered.Locator("html").GetAttributeAsync("data-theme"));
        await Expect(prerendered.Locator("body")).ToHaveCSSAsync("background-color", "rgb(11, 13, 20)");
    }

    [Fact]
    public async Task WithEnterToSendOffEnterBreaksTheLineAndCtrlEnterSendsToTheDefaultModel()
    {
        await Page.Keyboard.PressAsync("Control+Comma");
        var dialog = Page.GetByTestId("settings-dialog");
        await Expect(dialog).ToBeVisibleAsync();

        await dialog.GetByTestId("settings-enter-to-send").FocusAsync();
        await Page.Keyboard.PressAsync("Space");
        await Expect(dialog.GetByTestId("settings-enter-hint")).ToHaveTextAsync("Ctrl+Enter to send · Enter for a new line");
        await dialog.GetByTestId("settings-default-model").ClickAsync();
        await Page.GetByTestId("default-model-option").Filter(new() { HasText = "fake-large" }).ClickAsync();
        await Expect(dialog.GetByTestId("settings-default-model")).ToContainTextAsync("fake-large");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);

        await Expect(Page.GetByTestId("model-picker")).ToContainTextAsync("fake-large");
        await Expect(Page.GetByTestId("input-hint")).ToHaveTextAsync("Ctrl+Enter to send · Enter for a new line");
        var box = Page.GetByTestId("chat-input");
        await box.FillAsync("First line");
        await box.PressAsync("Enter");
        await box.PressSequentiallyAsync("second line");
        await Expect(box).ToHaveValueAsync("First line\nsecond line");
        Assert.Empty(Model.ChatRequests);
        await box.PressAsync("Control+Enter");

        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        Assert.Equal("First line\nsecond line", Model.ChatRequests[^1].LastUserMessage);
        Assert.Equal("fake-large", Model.ChatRequests[^1].Model);
        await Expect(box).ToHaveValueAsync("");

        // Picking another model for one chat does not change what the next chat starts with.
        await Page.GetByTestId("model-picker").ClickAsync();
        await Page.GetByTestId("model-option").Filter(new() { HasText = "fake-model" }).ClickAsync();
        await Expect(Page.GetByTestId("model-picker")).ToContainTextAsync("fake-model");
        await Page.GetByTestId("new-chat").ClickAsync();
        await Expect(Page.GetByTestId("message-user")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("model-picker")).ToContainTextAsync("fake-large");
    }

    [Fact]
    public async Task OnANarrowWindowTheDialogFitsAndWorksByKeyboard()
    {
        var phone = Page;
        await phone.SetViewportSizeAsync(390, 844);
        var dialog = await OpenSettingsAsync(phone);

        var box = await phone.Locator(".mud-dialog").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"The dialog spans {box.X}..{box.X + box.Width} of a 390 px window.");
        await dialog.GetByTestId("settings-theme-dark").FocusAsync();
        await phone.Keyboard.PressAsync("Enter");
        await phone.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await ScreenshotAsync(phone, "settings-narrow");
    }

    /// <summary>A new browser with the sign-in cookie of <paramref name="signedIn"/> but nothing else, and no scripts: pages as the server prerenders them.</summary>
    private async Task<IPage> SignedInWithoutScriptsAsync(IBrowserContext signedIn)
    {
        var context = await Browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), JavaScriptEnabled = false });
        await context.AddCookiesAsync((await signedIn.CookiesAsync()).Where(c => c.Name != "nova-theme").Select(c => new Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = c.Domain,
            Path = c.Path,
        }));
        return await context.NewPageAsync();
    }

    private static async Task<ILocator> OpenSettingsAsync(IPage page)
    {
        await page.GetByTestId("open-settings").ClickAsync();
        var dialog = page.GetByTestId("settings-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        return dialog;
    }
}
