using Microsoft.Playwright;
using Nova.Fakes;
using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

/// <summary>Nova with a fake OpenAI-compatible model server as its only endpoint, and a signed-in user.</summary>
public abstract class ChatBrowserTest(BrowserFixture browser) : NovaBrowserTest(browser)
{
    protected FakeOpenAiServer Model { get; } = new() { TimeToFirstToken = TimeSpan.FromMilliseconds(50), TokensPerSecond = 200 };

    protected IPage Page { get; private set; } = default!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Nova:Llm:Endpoints:0:Name", "fake"),
        new("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
        new("Nova:Llm:Endpoints:0:BaseUrl", Model.BaseUrl.ToString()),
        new("Nova:Chat:GenerateTitles", "false"),
    ];

    public override async Task InitializeAsync()
    {
        await Model.StartAsync();
        await base.InitializeAsync();
        Page = await NewPageAsync();
        await RegisterAsync(Page, "user@example.com");
        // The catalog lists the fake's models at start; the picker shows them once it has.
        await Expect(Page.GetByTestId("model-picker")).ToContainTextAsync("fake-model");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }

    protected static async Task SendAsync(IPage page, string text)
    {
        await page.GetByTestId("chat-input").FillAsync(text);
        await page.GetByTestId("chat-input").PressAsync("Enter");
    }

    protected static ILocator LastAnswer(IPage page) => page.GetByTestId("message-assistant").Last;
}
