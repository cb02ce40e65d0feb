using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Unit.Chat;

/// <summary>The per-user chat allowance as the chat page meets it: every new answer draws from it.</summary>
public sealed class ChatRateLimitTests : IAsyncLifetime
{
    private ChatHost _chat = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        // Two answers back to back, then one a minute: the third in a row is refused.
        _chat = await ChatHost.StartAsync(settings: [("Nova:RateLimits:ChatBurst", "2"), ("Nova:RateLimits:ChatRequestsPerMinute", "1")]);
        _alice = await _chat.CreateUserAsync("alice");
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Fact]
    public async Task SendRegenerateAndEditDrawFromOneAllowanceAndARefusedTurnStoresNothing()
    {
        var (turn, call) = await _chat.AskAsync(_alice, "First?");
        call.Send("One.").Complete();
        await _chat.FinishedAsync(turn.ConversationId);
        await _chat.Chat.RegenerateAsync(_alice, turn.AssistantMessageId);
        (await _chat.Model.NextCallAsync()).Send("Two.").Complete();
        await _chat.FinishedAsync(turn.ConversationId);
        var before = await _chat.MessagesAsync(turn.ConversationId);

        var edit = await Assert.ThrowsAnyAsync<ChatException>(() =>
            _chat.Chat.EditAndResendAsync(_alice, turn.UserMessageId, "First, again?", Guid.NewGuid().ToString()));
        var send = await Assert.ThrowsAnyAsync<ChatException>(() =>
            _chat.Chat.SendAsync(_alice, turn.ConversationId, "Second?", Guid.NewGuid().ToString()));

        Assert.Matches(@"^You're sending messages too fast\. Try again in \d+ s\.$", edit.Message);
        Assert.Matches(@"^You're sending messages too fast\. Try again in \d+ s\.$", send.Message);
        Assert.Equal(before.Count, (await _chat.MessagesAsync(turn.ConversationId)).Count);
        Assert.Equal(2, _chat.Model.StreamingCalls);
    }

    [Fact]
    public async Task ARepeatedSubmissionIsTheSameTurnAndDoesNotDrawAgain()
    {
        var conversation = await _chat.Chat.CreateAsync(_alice);
        var key = Guid.NewGuid().ToString();

        var first = await _chat.Chat.SendAsync(_alice, conversation.Id, "Once?", key);
        var repeated = await _chat.Chat.SendAsync(_alice, conversation.Id, "Once?", key);
        (await _chat.Model.NextCallAsync()).Send("Yes.").Complete();
        await _chat.FinishedAsync(conversation.Id);
        var next = await _chat.Chat.SendAsync(_alice, conversation.Id, "Twice?", Guid.NewGuid().ToString());

        Assert.Equal(first, repeated);
        Assert.NotEqual(first.AssistantMessageId, next.AssistantMessageId);
        Assert.Equal(MessageStatus.Streaming, (await _chat.MessageAsync(next.AssistantMessageId)).Status);
    }
}
