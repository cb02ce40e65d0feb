using Bunit;
using Microsoft.AspNetCore.Components;
using Nova.App.Components.Chat;
using Nova.Services.Chat.Data;
using Nova.Tests.Unit.Chat;

namespace Nova.Tests.Components.Chat;

/// <summary>A part of the chat that throws fails alone: the thread keeps working and says what happened.</summary>
public sealed class ErrorBoundaryTests : NovaComponentTest
{
    private ChatHost _chat = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _chat = await ChatHost.StartAsync();
        Context.Services.AddChatComponents(_chat);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _chat.DisposeAsync();
    }

    [Fact]
    public async Task AMessageThatThrowsShowsAnErrorInItsPlaceAndTheRestOfTheThreadStillWorks()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var (turn, call) = await _chat.AskAsync(alice, "Still here?");
        call.Send("Yes.").Complete();
        await _chat.FinishedAsync(turn.ConversationId);
        var messages = (await _chat.Chat.GetAsync(alice, turn.ConversationId)).Messages;
        // An answer said to be streaming that the registry cannot find for this user: watching it throws.
        var broken = messages[1] with { Id = Guid.NewGuid(), Status = MessageStatus.Streaming };

        var thread = Context.Render<MessageThread>(p => p
            .Add(t => t.Messages, [messages[0], broken])
            .Add(t => t.UserId, alice)
            .Add(t => t.OnEdit, _ => Task.FromResult(true))
            .Add(t => t.OnChanged, EventCallback.Factory.Create(this, () => { }))
            .Add(t => t.OnAnswerFinished, EventCallback.Factory.Create(this, () => { })));

        Assert.Contains("Something went wrong showing this message", thread.Find("[data-testid=error-boundary]").TextContent);
        Assert.Contains("Still here?", thread.Find("[data-testid=message-user]").TextContent);
        thread.Find("[data-testid=message-user] button[data-testid=edit]").Click();
        Assert.Equal("Still here?", thread.Find("textarea[data-testid=edit-input]").GetAttribute("value") ?? thread.Find("textarea[data-testid=edit-input]").TextContent);
        Assert.NotNull(thread.Find("[data-testid=error-recover]"));
    }
}
