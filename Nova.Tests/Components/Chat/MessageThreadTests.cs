using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Nova.App.Components.Chat;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Components.Chat;

public sealed class MessageThreadTests : NovaComponentTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Context.ComponentFactories.AddStub<UserMessage>();
        Context.ComponentFactories.AddStub<AssistantMessage>();
    }

    [Fact]
    public void AShortChatShowsEveryMessageAndNoButton()
    {
        var thread = Render(Conversation(10));

        Assert.Equal(10, RenderedIds(thread).Count);
        Assert.Empty(thread.FindAll("[data-testid=show-earlier]"));
    }

    [Fact]
    public void ALongChatShowsTheNewestMessagesAndRevealsEarlierOnesAPageAtATime()
    {
        var messages = Conversation(2_000);
        var thread = Render(messages);

        Assert.Equal(Newest(messages, MessageThread.PageSize), RenderedIds(thread));
        Assert.Contains("1,940 hidden", thread.Find("[data-testid=show-earlier]").TextContent);

        thread.Find("button[data-testid=show-earlier]").Click();

        Assert.Equal(Newest(messages, 2 * MessageThread.PageSize), RenderedIds(thread));
        Assert.Contains("1,880 hidden", thread.Find("[data-testid=show-earlier]").TextContent);
    }

    [Fact]
    public void ANewMessageAtTheEndKeepsTheWindowOnTheNewestMessages()
    {
        var messages = Conversation(100);
        var thread = Render(messages);

        var longer = messages.Concat(Conversation(2)).ToList();
        thread.Render(p => p.Add(t => t.Messages, longer));

        Assert.Equal(Newest(longer, MessageThread.PageSize), RenderedIds(thread));
    }

    private IRenderedComponent<MessageThread> Render(IReadOnlyList<MessageView> messages) =>
        Context.Render<MessageThread>(p => p
            .Add(t => t.Messages, messages)
            .Add(t => t.UserId, "user")
            .Add(t => t.OnEdit, _ => Task.FromResult(true))
            .Add(t => t.OnChanged, EventCallback.Factory.Create(this, () => { }))
            .Add(t => t.OnAnswerFinished, EventCallback.Factory.Create(this, () => { })));

    private static List<Guid> RenderedIds(IRenderedComponent<MessageThread> thread) =>
    [
        .. thread.FindComponents<Stub<UserMessage>>().Select(s => s.Instance.Parameters.Get(m => m.Message).Id)
            .Concat(thread.FindComponents<Stub<AssistantMessage>>().Select(s => s.Instance.Parameters.Get(m => m.Message).Id))
            .Order(),
    ];

    private static List<Guid> Newest(IEnumerable<MessageView> messages, int count) => [.. messages.TakeLast(count).Select(m => m.Id).Order()
    ];

    private static List<MessageView> Conversation(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new MessageView(
            Guid.NewGuid(), null, i % 2 == 0 ? MessageRole.User : MessageRole.Assistant,
            $"message {i}", MessageStatus.Completed, null, DateTimeOffset.UnixEpoch.AddSeconds(i), null, MessageUsage.None, [], 0, [])),
    ];
}
