using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

/// <summary>The message box: Enter, Shift+Enter and text too long to send, as a person types them.</summary>
public sealed class ComposerTests(BrowserFixture browser) : ChatBrowserTest(browser)
{
    private const int MaxInputChars = 1_000;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Nova:Chat:MaxInputChars", MaxInputChars.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task EnterSendsAtOnceAfterANavigationAndShiftEnterBreaksTheLine()
    {
        // No wait between the navigation and the keys: the page's own scripts may still be loading.
        await Page.GetByTestId("new-chat").ClickAsync();
        await Page.GetByTestId("chat-input").FillAsync("First line");
        await Page.GetByTestId("chat-input").PressAsync("Shift+Enter");
        await Page.GetByTestId("chat-input").PressSequentiallyAsync("second line");
        await Page.GetByTestId("chat-input").PressAsync("Enter");

        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        Assert.Equal("First line\nsecond line", Model.ChatRequests[^1].LastUserMessage);
        await Expect(Page.GetByTestId("chat-input")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task TheBoxGrowsWithItsLinesAndShrinksBackAfterASend()
    {
        var box = Page.GetByTestId("chat-input");
        var oneLine = (await box.BoundingBoxAsync())!.Height;
        await box.FillAsync("one\ntwo\nthree\nfour\nfive");
        var fiveLines = (await box.BoundingBoxAsync())!.Height;
        Assert.True(fiveLines > oneLine * 2, $"The box did not grow: {oneLine} px, then {fiveLines} px.");

        await box.PressAsync("Enter");

        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        await Expect(box).ToHaveValueAsync("");
        await Expect(box).ToHaveJSPropertyAsync("offsetHeight", (int)Math.Round(oneLine));
    }

    [Fact]
    public async Task APasteFarOverTheLimitStaysInTheBrowserAndIsNotSent()
    {
        var huge = "Hello " + new string('x', MaxInputChars * 5);
        await Page.GetByTestId("chat-input").FillAsync("Hello");
        await Expect(Page.GetByTestId("send")).ToBeEnabledAsync();

        await Page.GetByTestId("chat-input").FillAsync(huge);
        await Page.GetByTestId("chat-input").PressAsync("Enter");
        await Page.GetByTestId("send").ClickAsync();

        await Expect(Page.GetByTestId("input-far-too-long")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("message-user")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("chat-input")).ToHaveValueAsync(huge);
        Assert.Empty(Model.ChatRequests);

        await Page.GetByTestId("chat-input").FillAsync("Short again");
        await Expect(Page.GetByTestId("input-far-too-long")).ToBeHiddenAsync();
        await Page.GetByTestId("chat-input").PressAsync("Enter");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        Assert.Equal("Short again", Model.ChatRequests[^1].LastUserMessage);
    }

    [Fact]
    public async Task AnEditFarOverTheLimitStaysInTheBrowserAndShortenedItIsSent()
    {
        await SendAsync(Page, "Original question");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        await Page.GetByTestId("message-user").HoverAsync();
        await Page.GetByTestId("edit").ClickAsync();
        var field = Page.Locator("textarea[data-testid=edit-input]");
        var huge = "Edited " + new string('x', MaxInputChars * 5);

        await field.FillAsync(huge);
        await Page.GetByTestId("edit-send").ClickAsync();

        await Expect(Page.GetByTestId("edit-far-too-long")).ToBeVisibleAsync();
        await Expect(field).ToHaveValueAsync(huge);
        Assert.Single(Model.ChatRequests);

        await field.FillAsync("Edited question");
        await Expect(Page.GetByTestId("edit-far-too-long")).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("edit-send")).ToBeEnabledAsync();
        await Page.GetByTestId("edit-send").ClickAsync();
        await Expect(Page.GetByTestId("version-label").First).ToHaveTextAsync("2 / 2");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        Assert.Equal(["Original question", "Edited question"], Model.ChatRequests.Select(r => r.LastUserMessage));
    }
}
