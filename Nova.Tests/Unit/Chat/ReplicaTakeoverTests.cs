using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Unit.Chat;

/// <summary>Answers written by one replica and ended by another once the writer is gone, never while it lives.</summary>
public sealed class ReplicaTakeoverTests
{
    private static readonly TimeSpan Lease = new ReplicaOptions().LeaseDuration;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnAnswerStreamingOnAnotherLiveReplicaIsLeftAloneAndEndedOnceItsLeaseExpires(DatabaseProvider provider)
    {
        await using var chat = await ChatHost.StartAsync(provider);
        var alice = await chat.CreateUserAsync("alice");
        var conversation = await chat.Chat.CreateAsync(alice);
        var other = await chat.AddReplicaAsync(heartbeatAgo: TimeSpan.Zero);
        var answer = await chat.AddStreamingAnswerAsync(conversation.Id, other);

        Assert.Equal(0, await chat.Registry.RecoverInterruptedAsync());
        var shown = await chat.Chat.GetAsync(alice, conversation.Id);
        Assert.Equal(MessageStatus.Streaming, shown.Messages.Single().Status);

        // This replica's heartbeat (which the clock just woke) or this call takes it over, whichever comes first.
        chat.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await chat.Registry.RecoverInterruptedAsync();
        var stored = await chat.MessageAsync(answer);

        Assert.Equal(MessageStatus.Interrupted, stored.Status);
        Assert.Equal("Half an answer", stored.Content);
        Assert.Contains("stopped", stored.Error);
    }

    [Fact]
    public async Task AWatcherFollowsAnAnswerAnotherReplicaIsWritingUntilItEnds()
    {
        await using var chat = await ChatHost.StartAsync();
        var alice = await chat.CreateUserAsync("alice");
        var conversation = await chat.Chat.CreateAsync(alice);
        var answer = await chat.AddStreamingAnswerAsync(conversation.Id, await chat.AddReplicaAsync(heartbeatAgo: TimeSpan.Zero));
        var changes = 0;

        using var watching = await chat.Registry.SubscribeAsync(answer, alice, () => Interlocked.Increment(ref changes));
        Assert.True(watching.IsLive);
        await StoreAsync(chat, answer, "Half an answer, and more", MessageStatus.Streaming);
        chat.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Async(() => Task.FromResult(watching.Current.Text), text => text == "Half an answer, and more");
        await StoreAsync(chat, answer, "Half an answer, and more. Done.", MessageStatus.Completed);
        chat.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Async(() => Task.FromResult(watching.IsFinal), final => final);

        Assert.Equal(("Half an answer, and more. Done.", MessageStatus.Completed), (watching.Current.Text, watching.Current.Status));
        Assert.Equal(2, changes);
    }

    [Fact]
    public async Task OfTwoReplicasTakingOverTheSameAnswersAtOnceEachAnswerIsEndedByExactlyOne()
    {
        await using var chat = await ChatHost.StartAsync(DatabaseProvider.Postgres);
        using var second = await chat.StartReplicaAsync();
        var alice = await chat.CreateUserAsync("alice");
        var conversation = await chat.Chat.CreateAsync(alice);
        var gone = await chat.AddReplicaAsync(heartbeatAgo: Lease * 2);
        for (var i = 0; i < 20; i++)
        {
            await chat.AddStreamingAnswerAsync(conversation.Id, gone);
        }

        var ended = await Task.WhenAll(
            chat.Registry.RecoverInterruptedAsync(),
            second.Services.GetRequiredService<GenerationRegistry>().RecoverInterruptedAsync());

        Assert.Equal(20, ended.Sum());
        Assert.All(await chat.MessagesAsync(conversation.Id), m => Assert.Equal(MessageStatus.Interrupted, m.Status));
        await second.StopAsync();
    }

    [Fact]
    public async Task AReplicaRunsItsOwnAnswersAndTheOtherLeavesThemAlone()
    {
        await using var chat = await ChatHost.StartAsync(DatabaseProvider.Postgres);
        using var second = await chat.StartReplicaAsync();
        var alice = await chat.CreateUserAsync("alice");
        var (turn, call) = await chat.AskAsync(alice);
        call.Send("Still ");

        Assert.Equal(0, await second.Services.GetRequiredService<GenerationRegistry>().RecoverInterruptedAsync());
        var stored = await chat.MessageAsync(turn.AssistantMessageId);
        Assert.Equal(MessageStatus.Streaming, stored.Status);
        Assert.Equal(chat.Services.GetRequiredService<ReplicaIdentity>().Id, stored.ReplicaId);

        call.Send("writing.").Complete();
        await chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        await second.StopAsync();
    }

    private static async Task StoreAsync(ChatHost chat, Guid answer, string text, MessageStatus status)
    {
        await using var db = chat.CreateContext();
        await db.Set<ChatMessage>().Where(m => m.Id == answer)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Content, text).SetProperty(m => m.Status, status));
    }
}
