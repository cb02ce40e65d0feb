using Bunit;
using Microsoft.AspNetCore.Components;
using Nova.App.Components.Chat;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Components.Chat;

/// <summary>A part of the chat that throws fails alone: the thread keeps working and says what happened.</summary>
public sealed class ErrorBoundaryTests : ChatComponentTest
{
    [Fact]
    public async Task AMessageThatThrowsShowsAnErrorInItsPlaceAndTheRestOfTheThreadStillWorks()
    {
        var alice = await Chat.CreateUserAsync("alice");
        var (turn, call) = await Chat.AskAsync(alice, "Still here?");
        call.Send("Yes.").Complete();
        await Chat.FinishedAsync(turn.ConversationId);
        var messages = (await Chat.Chat.GetAsync(alice, turn.ConversationId)).Messages;
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
