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
using Nova.Tests.Unit.Chat;

namespace Nova.Tests.Components.Chat;

/// <summary>The chat page on Nova's real chat services, sending as Alice.</summary>
public sealed class ChatPageTests : NovaComponentTest
{
    private ChatHost _chat = default!;
    private string _alice = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // One answer at a time and two in a row, so the tests can reach either limit.
        _chat = await ChatHost.StartAsync(settings:
            [("Nova:Chat:MaxConcurrentGenerationsPerUser", "1"), ("Nova:RateLimits:ChatBurst", "2"), ("Nova:RateLimits:ChatRequestsPerMinute", "1")]);
        _alice = await _chat.CreateUserAsync("alice");
        Context.Services.AddChatComponents(_chat);
        Context.Services.AddSingleton(_chat.Services.GetRequiredService<ChatGrounding>());
        Context.Services.AddSingleton<IModelRouter>(_chat.Router);
        Context.Services.AddSingleton(_chat.Services.GetRequiredService<IOptions<NovaChatOptions>>());
        Context.Services.AddSingleton(_chat.Services.GetRequiredService<UserPreferenceService>());
        Context.Services.AddScoped<PreferencesState>();
        Context.Services.AddScoped<ChatEvents>();
        Context.AddAuthorization().SetAuthorized("alice@example.test").SetClaims(new Claim(ClaimTypes.NameIdentifier, _alice));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _chat.DisposeAsync();
    }

    [Fact]
    public async Task ARefusedFirstQuestionLeavesNoChatBehind()
    {
        // Another chat is still being answered, and only one answer may be written at a time.
        var (busy, _) = await _chat.AskAsync(_alice);
        var page = RenderPage();

        Send(page, "A second question");

        page.WaitForAssertion(() => Assert.Contains("answers being written", page.Find("[data-testid=send-refused]").TextContent));
        Assert.Equal("A second question", page.Find("[data-testid=chat-input]").GetAttribute("value"));
        var chats = (await _chat.Chat.ListAsync(_alice, new ConversationQuery())).Items;
        Assert.Equal([busy.ConversationId], chats.Select(c => c.Id));
    }

    [Fact]
    public async Task TheChatPageDrawsFromTheRateLimitAndSaysWhenItIsSpentKeepingTheDraft()
    {
        var limiter = _chat.Services.GetRequiredService<IChatRateLimiter>();
        Assert.True(limiter.TryAcquire(_alice).Allowed);
        Assert.True(limiter.TryAcquire(_alice).Allowed);
        var page = RenderPage();

        Send(page, "Too soon");

        page.WaitForAssertion(() => Assert.Matches(@"You're sending messages too fast\. Try again in \d+ s\.",
            page.Find("[data-testid=send-refused]").TextContent));
        Assert.Equal("Too soon", page.Find("[data-testid=chat-input]").GetAttribute("value"));
        Assert.Empty((await _chat.Chat.ListAsync(_alice, new ConversationQuery())).Items);
        Assert.Equal(0, _chat.Model.StreamingCalls);
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
