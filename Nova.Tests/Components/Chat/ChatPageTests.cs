using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using Nova.App.Components.Chat;
using Nova.App.Components.Pages.Chat;
using Nova.App.Components.Settings;
using Nova.Services.Chat;
using Nova.Services.Chat.Grounding;
using Nova.Services.Identity.Preferences;
using Nova.Services.Llm;
using Nova.Services.RateLimiting;

namespace Nova.Tests.Components.Chat;

/// <summary>The chat page on Nova's real chat services, sending as Alice.</summary>
public sealed class ChatPageTests : ChatComponentTest
{
    private string _alice = "";

    // One answer at a time and two in a row, so the tests can reach either limit.
    protected override (string Key, string Value)[] ChatSettings =>
        [("Nova:Chat:MaxConcurrentGenerationsPerUser", "1"), ("Nova:RateLimits:ChatBurst", "2"), ("Nova:RateLimits:ChatRequestsPerMinute", "1")];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _alice = await Chat.CreateUserAsync("alice");
        Context.Services.AddSingleton(Chat.Services.GetRequiredService<ChatGrounding>());
        Context.Services.AddSingleton<IModelRouter>(Chat.Router);
        Context.Services.AddSingleton(Chat.Services.GetRequiredService<IOptions<NovaChatOptions>>());
        Context.Services.AddSingleton(Chat.Services.GetRequiredService<UserPreferenceService>());
        Context.Services.AddScoped<PreferencesState>();
        Context.Services.AddScoped<ChatEvents>();
        Context.AddAuthorization().SetAuthorized("alice@example.test").SetClaims(new Claim(ClaimTypes.NameIdentifier, _alice));
    }

    [Fact]
    public async Task ARefusedFirstQuestionLeavesNoChatBehind()
    {
        // Another chat is still being answered, and only one answer may be written at a time.
        var (busy, _) = await Chat.AskAsync(_alice);
        var page = RenderPage();

        Send(page, "A second question");

        page.WaitForAssertion(() => Assert.Contains("answers being written", page.Find("[data-testid=send-refused]").TextContent));
        Assert.Equal("A second question", page.Find("[data-testid=chat-input]").GetAttribute("value"));
        var chats = (await Chat.Chat.ListAsync(_alice, new ConversationQuery())).Items;
        Assert.Equal([busy.ConversationId], chats.Select(c => c.Id));
    }

    [Fact]
    public async Task TheChatPageDrawsFromTheRateLimitAndSaysWhenItIsSpentKeepingTheDraft()
    {
        var limiter = Chat.Services.GetRequiredService<IChatRateLimiter>();
        Assert.True((await limiter.TryAcquireAsync(_alice)).Allowed);
        Assert.True((await limiter.TryAcquireAsync(_alice)).Allowed);
        var page = RenderPage();

        Send(page, "Too soon");

        page.WaitForAssertion(() => Assert.Matches(@"You're sending messages too fast\. Try again in \d+ s\.",
            page.Find("[data-testid=send-refused]").TextContent));
        Assert.Equal("Too soon", page.Find("[data-testid=chat-input]").GetAttribute("value"));
        Assert.Empty((await Chat.Chat.ListAsync(_alice, new ConversationQuery())).Items);
        Assert.Equal(0, Chat.Model.StreamingCalls);
    }

    private IRenderedComponent<ChatPage> RenderPage()
    {
        Context.Render<MudPopoverProvider>();
        return Context.Render<ChatPage>();
    }

    private static void Send(IRenderedComponent<ChatPage> page, string text)
    {
        page.Find("[data-testid=chat-input]").Input(text);
        page.Find("form[data-testid=chat-form]").Submit();
    }
}
