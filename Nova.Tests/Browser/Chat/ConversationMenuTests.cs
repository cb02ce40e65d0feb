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
        await AssertOpensUnderAsync(rename, button);
        await ScreenshotAsync(Page, "drawer-menu");
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
        await AssertOpensUnderAsync(Page.GetByTestId("conversation-rename"), renamed.GetByTestId("conversation-menu"));
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

    /// <summary>MudBlazor's script places an open menu a frame or more after it shows: waits for it to settle under its button.</summary>
    private static async Task AssertOpensUnderAsync(ILocator firstItem, ILocator button)
    {
        var (below, rightEdges) = (double.NaN, double.NaN);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var anchor = (await button.BoundingBoxAsync())!;
            var item = (await firstItem.BoundingBoxAsync())!;
            (below, rightEdges) = (item.Y - (anchor.Y + anchor.Height), anchor.X + anchor.Width - (item.X + item.Width));
            if (below is >= -2 and <= 24 && rightEdges is >= -2 and <= 24)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The menu did not open under its button: {below:0} px below it, right edges {rightEdges:0} px apart.");
    }

    private async Task AskInANewChatAsync(string question)
    {
        await Page.GetByTestId("new-chat").ClickAsync();
        await Page.WaitForURLAsync(url => url.EndsWith("/chat", StringComparison.Ordinal));
        await SendAsync(Page, question);
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
    }
}
