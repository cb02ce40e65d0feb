using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

public sealed class KeyboardShortcutTests(BrowserFixture browser) : ChatBrowserTest(browser)
{
    [Fact]
    public async Task TheHelpListsTheShortcutsAndEachOneWorks()
    {
        await Page.Keyboard.PressAsync("Control+Slash");
        await Expect(Page.GetByTestId("shortcut")).ToHaveCountAsync(7);
        await Expect(Page.GetByTestId("shortcuts-dialog")).ToContainTextAsync("New chat");
        await ScreenshotAsync(Page, "shortcuts-help");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("shortcut")).ToHaveCountAsync(0);

        await Page.Locator("body").ClickAsync(new() { Position = new() { X = 5, Y = 300 } });
        await Page.Keyboard.PressAsync("Slash");
        await Expect(Page.GetByTestId("chat-input")).ToBeFocusedAsync();
        await Expect(Page.GetByTestId("chat-input")).ToHaveValueAsync("");

        Model.Answer = string.Join(' ', Enumerable.Range(1, 300).Select(i => $"w{i}"));
        Model.TokensPerSecond = 20;
        await SendAsync(Page, "Talk");
        await Expect(LastAnswer(Page)).ToContainTextAsync("w2");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "stopped");
        var chatUrl = Page.Url;

        await Page.Keyboard.PressAsync("Control+Shift+O");
        await Expect(Page.GetByTestId("message-user")).ToHaveCountAsync(0);
        Assert.NotEqual(chatUrl, Page.Url);

        var drawer = Page.Locator(".nova-drawer");
        await Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await Page.Keyboard.PressAsync("Control+Shift+S");
        await Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
    }
}
