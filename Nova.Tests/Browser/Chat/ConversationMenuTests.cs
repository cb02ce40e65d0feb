using Microsoft.Playwright;
using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

/// <summary>The drawer's one shared menu of chat actions: it opens under the chat's button, by mouse or by keyboard.</summary>
public sealed class ConversationMenuTests(BrowserFixture browser) : ChatBrowserTest(browser)
{
    [Fact]
    public async Task AChatIsRenamedPinnedAndDeletedFromItsMenu()
    {
        await AskInANewChatAsync("First question");
        await AskInANewChatAsync("Second question");
        var items = Page.GetByTestId("conversation-item");
        await Expect(items).ToHaveCountAsync(2);
        var first = items.Filter(new() { HasText = "First question" });

        // By mouse: the menu opens under the button it belongs to.
        var button = first.GetByTestId("conversation-menu");
        await button.ClickAsync();
        var rename = Page.GetByTestId("conversation-rename");
        await Expect(rename).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "drawer-menu");
        var buttonBox = (await button.BoundingBoxAsync())!;
        var menuBox = (await rename.BoundingBoxAsync())!;
        Assert.InRange(menuBox.Y - (buttonBox.Y + buttonBox.Height), -2, 24);
        Assert.InRange(buttonBox.X + buttonBox.Width - (menuBox.X + menuBox.Width), -2, 24);
        await rename.ClickAsync();
        await Page.GetByTestId("rename-input").FillAsync("Renamed chat");
        await Page.GetByTestId("rename-save").ClickAsync();
        await Expect(items.Filter(new() { HasText = "Renamed chat" })).ToHaveCountAsync(1);

        // By keyboard: Enter on the focused button opens the same menu under that button, with the focus in it.
        var renamed = items.Filter(new() { HasText = "Renamed chat" });
        await renamed.GetByTestId("conversation-menu").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        var pin = Page.GetByTestId("conversation-pin");
        await Expect(pin).ToHaveTextAsync("Pin");
        Assert.InRange((await pin.BoundingBoxAsync())!.Y - (await renamed.BoundingBoxAsync())!.Y, 0, 120);
        await Expect(Page.GetByTestId("conversation-rename")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("ArrowDown");
        await Expect(pin).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator(".nova-group-label").First).ToHaveTextAsync("Pinned");
        await Expect(renamed.Locator(".nova-pin")).ToHaveCountAsync(1);

        // Escape closes a menu opened by keyboard, and the focus is back on its button.
        var second = items.Filter(new() { HasText = "Second question" });
        await second.GetByTestId("conversation-menu").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("conversation-rename")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("conversation-rename")).ToBeHiddenAsync();
        await Expect(second.GetByTestId("conversation-menu")).ToBeFocusedAsync();

        // Each chat's menu acts on that chat: the other one is deleted, the pinned one stays.
        await second.GetByTestId("conversation-menu").ClickAsync();
        await Expect(Page.GetByTestId("conversation-pin")).ToHaveTextAsync("Pin");
        await Page.GetByTestId("conversation-delete").ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(items).ToHaveCountAsync(1);
        await Expect(items).ToContainTextAsync("Renamed chat");
    }

    private async Task AskInANewChatAsync(string question)
    {
        await Page.GetByTestId("new-chat").ClickAsync();
        await Page.WaitForURLAsync(url => url.EndsWith("/chat", StringComparison.Ordinal));
        await SendAsync(Page, question);
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
    }
}
