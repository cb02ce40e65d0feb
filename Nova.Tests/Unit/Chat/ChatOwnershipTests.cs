using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Unit.Chat;

public sealed class ChatOwnershipTests : IAsyncLifetime
{
    private ChatHost _chat = null!;
    private string _alice = null!;
    private string _bob = null!;

    public async Task InitializeAsync()
    {
        _chat = await ChatHost.StartAsync();
        _alice = await _chat.CreateUserAsync("alice");
        _bob = await _chat.CreateUserAsync("bob");
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Fact]
    public async Task AnotherUsersConversationOrMessageIsNotFoundOnEveryOperation()
    {
        var (done, call) = await _chat.AskAsync(_alice, "Alice's secret");
        call.Send("Alice's answer").Complete();
        await _chat.StoredAsync(done.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        var (running, runningCall) = await _chat.AskAsync(_alice, "Still running");
        var chat = _chat.Chat;
        var settings = new ConversationSettings(null, null, 1, 100);

        Func<Task>[] operations =
        [
            () => chat.GetAsync(_bob, done.ConversationId),
            () => chat.RenameAsync(_bob, done.ConversationId, "mine now"),
            () => chat.SetPinnedAsync(_bob, done.ConversationId, true),
            () => chat.UpdateSettingsAsync(_bob, done.ConversationId, settings),
            () => chat.DeleteAsync(_bob, done.ConversationId),
            () => chat.SendAsync(_bob, done.ConversationId, "hi", "bob-1"),
            () => chat.SetFeedbackAsync(_bob, done.AssistantMessageId, MessageFeedback.Down),
            () => chat.RegenerateAsync(_bob, done.AssistantMessageId),
            () => chat.EditAndResendAsync(_bob, done.UserMessageId, "changed", "bob-2"),
            () => chat.SelectVersionAsync(_bob, done.AssistantMessageId),
            () => chat.StopAsync(_bob, running.AssistantMessageId),
            () => chat.StopAsync(_bob, done.AssistantMessageId),
            () => _chat.Registry.SubscribeAsync(running.AssistantMessageId, _bob, () => { }),
            () => _chat.Registry.SubscribeAsync(done.AssistantMessageId, _bob, () => { }),
            () => chat.GetAsync(_alice, Guid.NewGuid()),
            () => chat.RegenerateAsync(_alice, Guid.NewGuid()),
        ];
        foreach (var operation in operations)
        {
            await Assert.ThrowsAsync<ChatNotFoundException>(operation);
        }

        Assert.Empty((await chat.ListAsync(_bob, new ConversationQuery())).Items);
        Assert.Empty((await chat.ListAsync(_bob, new ConversationQuery("secret"))).Items);
        var untouched = await chat.GetAsync(_alice, done.ConversationId);
        Assert.NotEqual("mine now", untouched.Summary.Title);
        Assert.False(untouched.Summary.IsPinned);
        Assert.Equal(["Alice's secret", "Alice's answer"], untouched.Messages.Select(m => m.Content));
        Assert.Null(untouched.Messages[1].Feedback);
        Assert.False(runningCall.Cancelled.IsCompleted);
        Assert.Equal(2, _chat.Model.StreamingCalls);
        runningCall.Complete();
    }
}
