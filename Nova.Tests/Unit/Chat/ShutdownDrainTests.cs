using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Unit.Chat;

/// <summary>A stopping replica lets answers being written finish, up to <c>Nova:Replicas:DrainTimeout</c>.</summary>
public sealed class ShutdownDrainTests
{
    private static readonly (string, string) Drain = ("Nova:Replicas:DrainTimeout", "00:00:20");

    [Fact]
    public async Task StoppingLetsAnAnswerBeingWrittenFinishAndRefusesNewOnes()
    {
        await using var chat = await ChatHost.StartAsync(settings: Drain);
        var alice = await chat.CreateUserAsync("alice");
        var (turn, call) = await chat.AskAsync(alice);
        call.Send("Half ");

        var stopping = chat.Registry.ShutdownAsync();
        var refused = await Assert.ThrowsAsync<ChatUnavailableException>(() => chat.AskAsync(alice));
        Assert.False(stopping.IsCompleted, "Stopping did not wait for the answer being written.");
        call.Send("and the rest.").Complete();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        var stored = await chat.MessageAsync(turn.AssistantMessageId);
        Assert.Equal((MessageStatus.Completed, "Half and the rest."), (stored.Status, stored.Content));
        Assert.Contains("restarting", refused.Message);
    }

    [Fact]
    public async Task AnAnswerStillBeingWrittenWhenTheDrainEndsIsKeptAsInterrupted()
    {
        await using var chat = await ChatHost.StartAsync(settings: Drain);
        var alice = await chat.CreateUserAsync("alice");
        var (turn, call) = await chat.AskAsync(alice);
        call.Send("Half ");
        await Eventually.Async(() => Task.FromResult(chat.Registry.TryGetState(turn.AssistantMessageId)?.Text), t => t == "Half ");

        var stopping = chat.Registry.ShutdownAsync();
        chat.Clock.Advance(TimeSpan.FromSeconds(21));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        var stored = await chat.MessageAsync(turn.AssistantMessageId);
        Assert.Equal((MessageStatus.Interrupted, "Half "), (stored.Status, stored.Content));
    }
}
