using Microsoft.Playwright;
using Nova.Fakes;
using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

public sealed class ChatStreamingTests(BrowserFixture browser) : ChatBrowserTest(browser)
{
    private const string Answer = "Here is **the answer**:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```cs\nvar x = 1;\n```\n";

    [Fact]
    public async Task AMessageStreamsInAndTheChatAppearsInTheDrawer()
    {
        Model.Answer = Answer;

        await SendAsync(Page, "What is the answer?");

        await Expect(Page.GetByTestId("message-user")).ToHaveTextAsync("What is the answer?");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        await Expect(LastAnswer(Page).Locator("strong")).ToHaveTextAsync("the answer");
        await Expect(LastAnswer(Page).Locator("table td").First).ToHaveTextAsync("1");
        await Expect(LastAnswer(Page).Locator(".nova-code [data-copy]")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("conversation-item")).ToHaveCountAsync(1);
        Assert.Contains("/chat/", Page.Url);
        Assert.Single(Model.ChatRequests);
        await ScreenshotAsync(Page, "chat-answer-light");
    }

    [Fact]
    public async Task AFollowUpSentTheMomentAnAnswerEndsContinuesTheSameChatWithItsHistory()
    {
        Model.Answer = "Paris.";
        await SendAsync(Page, "What is the capital of France?");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");

        Model.Answer = "About two million.";
        await SendAsync(Page, "How many people live there?");

        await Expect(Page.GetByTestId("message-assistant")).ToHaveCountAsync(2);
        await Expect(LastAnswer(Page)).ToContainTextAsync("two million");
        await Expect(Page.GetByTestId("chat-input")).ToHaveValueAsync("");
        Assert.Equal(2, Model.ChatRequests.Count);
        Assert.Contains(("assistant", "Paris."), Model.ChatRequests[1].Messages);
        await Expect(Page.GetByTestId("conversation-item")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task StopKeepsThePartialAnswerCancelsTheModelAndCalmsTheScene()
    {
        Model.Answer = string.Join(' ', Enumerable.Range(1, 400).Select(i => $"word{i}"));
        Model.TokensPerSecond = 20;

        await SendAsync(Page, "Write a lot");
        await Expect(LastAnswer(Page)).ToContainTextAsync("word3");
        await Expect(Page.GetByTestId("nova-scene")).ToHaveAttributeAsync("data-state", "streaming");
        Assert.True(await TokenRateWhileStreamingAsync(Page) > 0, "The scene heard no tokens from the answer being written.");
        await Page.GetByTestId("stop").ClickAsync();

        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "stopped");
        await Expect(Page.GetByTestId("nova-scene")).ToHaveAttributeAsync("data-state", "idle");
        await Model.ClientCancelled.WaitAsync(TimeSpan.FromSeconds(10));
        var kept = await LastAnswer(Page).Locator(".nova-markdown").InnerTextAsync();
        Assert.Contains("word3", kept);
        Assert.DoesNotContain("word400", kept);
        await Expect(Page.GetByTestId("send")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ClosingThePageMidStreamDoesNotStopTheAnswer()
    {
        Model.Answer = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"w{i}"));
        Model.TokensPerSecond = 30;
        await SendAsync(Page, "Keep going without me");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "streaming");
        var chatUrl = Page.Url;

        await Page.CloseAsync();
        var returning = await Page.Context.NewPageAsync();
        await GoToAsync(returning, chatUrl);

        await Expect(LastAnswer(returning)).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 20_000 });
        await Expect(LastAnswer(returning)).ToContainTextAsync("w60");
        Assert.False(Model.ClientCancelled.IsCompleted, "Closing the tab cancelled the model's answer.");
    }

    [Fact]
    public async Task ABackendThatDiesMidStreamKeepsThePartialAnswerAndRetryWorks()
    {
        Model.Answer = "one two three four five six seven eight";
        Model.FailNext(FakeLlmFault.DisconnectAfterTokens);
        Model.FaultAfterTokens = 3;

        await SendAsync(Page, "Try");

        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "failed");
        await Expect(LastAnswer(Page)).ToContainTextAsync("one two");
        await Page.GetByTestId("retry").ClickAsync();
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        await Expect(LastAnswer(Page)).ToContainTextAsync("eight");
        await Expect(LastAnswer(Page).GetByTestId("version-label")).ToHaveTextAsync("2 / 2");
    }

    [Fact]
    public async Task RegenerateKeepsTheEarlierAnswerAsAVersion()
    {
        Model.Answer = "First answer.";
        await SendAsync(Page, "Hello");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");

        Model.Answer = "Second answer.";
        await LastAnswer(Page).GetByTestId("regenerate").ClickAsync();
        await Expect(LastAnswer(Page)).ToContainTextAsync("Second answer.");
        await Expect(LastAnswer(Page).GetByTestId("version-label")).ToHaveTextAsync("2 / 2");

        await LastAnswer(Page).GetByTestId("version-previous").ClickAsync();
        await Expect(LastAnswer(Page)).ToContainTextAsync("First answer.");
    }

    [Fact]
    public async Task AReloadShowsTheChatAsItWas()
    {
        Model.Answer = "Remember me.";
        await SendAsync(Page, "Do you remember?");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");

        await Page.ReloadAsync();
        await WaitForInteractiveAsync(Page);

        await Expect(Page.GetByTestId("message-user")).ToHaveTextAsync("Do you remember?");
        await Expect(LastAnswer(Page)).ToContainTextAsync("Remember me.");
    }

    /// <summary>The rate the scene pulses with, measured in the browser from the answer's own text.</summary>
    private static async Task<double> TokenRateWhileStreamingAsync(IPage page)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        double rate;
        do
        {
            rate = await page.EvaluateAsync<double>("async () => (await import('./js/nova-state.js')).getTokenRate()");
        }
        while (rate == 0 && DateTime.UtcNow < deadline);
        return rate;
    }
}
