using System.Net;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Unit.Chat;

public sealed class GenerationTests : ChatHostTest
{
    [Fact]
    public async Task TokensArriveInOrderAndTheAnswerIsStoredWithItsUsage()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        using var watcher = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice);
        var tokens = Enumerable.Range(0, 200).Select(i => $"t{i} ").ToArray();

        Chat.Clock.Advance(TimeSpan.FromMilliseconds(300));
        call.Send(tokens[0]);
        await watcher.UntilAsync(s => s.Text == tokens[0]);
        Chat.Clock.Advance(TimeSpan.FromSeconds(2));
        call.Send(tokens[1..]).Usage(input: 42, output: 200).Complete();
        var final = await watcher.FinalAsync();

        Assert.Equal((MessageStatus.Completed, null), (final.Status, final.Error));
        Assert.Equal(string.Concat(tokens), final.Text);
        var stored = await Chat.MessageAsync(turn.AssistantMessageId);
        Assert.Equal(string.Concat(tokens), stored.Content);
        Assert.Equal(MessageStatus.Completed, stored.Status);
        Assert.Equal(42, stored.PromptTokens);
        Assert.Equal(200, stored.CompletionTokens);
        Assert.Equal(300, stored.TimeToFirstTokenMs);
        Assert.Equal(100, stored.TokensPerSecond);
        Assert.Equal(FakeModelRouter.ModelId, stored.Model);
        Assert.Equal(FakeModelRouter.Endpoint, stored.Endpoint);
    }

    [Fact]
    public async Task TheTextIsFlushedToTheDatabaseAtLeastEverySecondAndNotPerToken()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        var id = turn.AssistantMessageId;

        call.Send("Hello");
        await Eventually.Async(() => Task.FromResult(Chat.Registry.TryGetState(id)?.Text), t => t == "Hello");
        Assert.Equal("", (await Chat.MessageAsync(id)).Content);

        Chat.Clock.Advance(TimeSpan.FromSeconds(1));
        await Chat.StoredAsync(id, m => m.Content == "Hello");

        call.Send(", world");
        await Eventually.Async(() => Task.FromResult(Chat.Registry.TryGetState(id)?.Text), t => t == "Hello, world");
        Chat.Clock.Advance(TimeSpan.FromSeconds(1));
        var flushed = await Chat.StoredAsync(id, m => m.Content == "Hello, world");
        Assert.Equal(MessageStatus.Streaming, flushed.Status);

        call.Complete();
        await Chat.StoredAsync(id, m => m.Status == MessageStatus.Completed);
    }

    [Fact]
    public async Task StopKeepsThePartialAnswerAndCancelsTheUpstreamRequest()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        using var watcher = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice);
        call.Send("Partial ", "answer");
        await Eventually.Async(() => Task.FromResult(Chat.Registry.TryGetState(turn.AssistantMessageId)?.Text), t => t == "Partial answer");

        await Chat.Chat.StopAsync(Alice, turn.AssistantMessageId);

        await call.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
        var stored = await Chat.MessageAsync(turn.AssistantMessageId);
        Assert.Equal(MessageStatus.Stopped, stored.Status);
        Assert.Equal("Partial answer", stored.Content);
        Assert.Null(stored.Error);
        Assert.Equal(MessageStatus.Stopped, (await watcher.FinalAsync()).Status);
        Assert.Equal(0, Chat.Registry.RunningCount);
    }

    [Fact]
    public async Task ABackendFailureKeepsThePartialTextAndSaysWhy()
    {
        var (turn, call) = await Chat.AskAsync(Alice);

        call.Send("Half an ans");
        call.Fail(new HttpRequestException("upstream exploded", null, HttpStatusCode.InternalServerError));

        var stored = await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status != MessageStatus.Streaming);
        Assert.Equal(MessageStatus.Failed, stored.Status);
        Assert.Equal("Half an ans", stored.Content);
        Assert.Contains("HTTP 500", stored.Error);
    }

    [Fact]
    public async Task AModelThatSendsNothingIsAFailureNotAnEmptyAnswer()
    {
        var (turn, call) = await Chat.AskAsync(Alice);

        call.Complete();

        var stored = await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status != MessageStatus.Streaming);
        Assert.Equal(MessageStatus.Failed, stored.Status);
        Assert.False(string.IsNullOrWhiteSpace(stored.Error));
    }

    [Fact]
    public async Task AnswersLeftStreamingByACrashBecomeInterruptedAtStartButRunningOnesDoNot()
    {
        var (running, _) = await Chat.AskAsync(Alice);
        var conversation = await Chat.Chat.CreateAsync(Alice);
        var orphan = new ChatMessage
        {
            Id = Guid.NewGuid(),
            ConversationId = conversation.Id,
            Role = MessageRole.Assistant,
            Content = "What arrived before the crash",
            Status = MessageStatus.Streaming,
            CreatedAt = Chat.Clock.GetUtcNow(),
        };
        await using (var db = Chat.CreateContext())
        {
            db.Add(orphan);
            await db.SaveChangesAsync();
        }

        var recovered = await Chat.Registry.RecoverInterruptedAsync();

        Assert.Equal(1, recovered);
        var stored = await Chat.MessageAsync(orphan.Id);
        Assert.Equal(MessageStatus.Interrupted, stored.Status);
        Assert.Equal("What arrived before the crash", stored.Content);
        Assert.False(string.IsNullOrWhiteSpace(stored.Error));
        Assert.Equal(MessageStatus.Streaming, (await Chat.MessageAsync(running.AssistantMessageId)).Status);
    }

    [Fact]
    public async Task ShuttingDownStoresRunningAnswersAsInterruptedWithWhatArrived()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        call.Send("Before the restart");
        await Eventually.Async(() => Task.FromResult(Chat.Registry.TryGetState(turn.AssistantMessageId)?.Text), t => t == "Before the restart");

        await Chat.Registry.DisposeAsync();

        await call.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
        var stored = await Chat.MessageAsync(turn.AssistantMessageId);
        Assert.Equal(MessageStatus.Interrupted, stored.Status);
        Assert.Equal("Before the restart", stored.Content);
    }

    [Fact]
    public async Task ASubscriberLeavingMidStreamDoesNotStopTheGeneration()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        var leaving = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice);
        using var staying = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice);
        call.Send("One ");
        await leaving.CountAsync(1);

        leaving.Dispose();
        var seenByLeaving = leaving.Count;
        call.Send("two ", "three").Complete();

        var final = await staying.FinalAsync();
        Assert.Equal("One two three", final.Text);
        Assert.Equal(MessageStatus.Completed, final.Status);
        Assert.Equal(seenByLeaving, leaving.Count);
        Assert.False(call.Cancelled.IsCompleted);
        Assert.Equal("One two three", (await Chat.MessageAsync(turn.AssistantMessageId)).Content);
    }

    [Fact]
    public async Task AGenerationNobodyWatchesFinishesAndItsAnswerIsStored()
    {
        var (turn, call) = await Chat.AskAsync(Alice);

        call.Send("Written ", "for ", "a ", "closed ", "tab").Usage(5, 5).Complete();

        var stored = await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Assert.Equal("Written for a closed tab", stored.Content);
        using var reopened = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice);
        Assert.False(reopened.Subscription.IsLive);
        Assert.Equal("Written for a closed tab", reopened.Current.Text);
        Assert.Equal(MessageStatus.Completed, reopened.Current.Status);
    }

    [Fact]
    public async Task ABurstOfTokensIsCoalescedAndTheFirstIsToldAtOnce()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        using var watcher = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice);
        var tokens = Enumerable.Range(0, 1000).Select(i => $"{i},").ToArray();

        call.Send(tokens[0]);
        await watcher.CountAsync(1);
        call.Send(tokens[1..]);
        await Eventually.Async(() => Task.FromResult(Chat.Registry.TryGetState(turn.AssistantMessageId)?.Text), t => t == string.Concat(tokens));
        Assert.Equal(1, watcher.Count);

        Chat.Clock.Advance(TimeSpan.FromMilliseconds(50));
        await watcher.CountAsync(2);
        call.Complete();
        var final = await watcher.FinalAsync();

        Assert.Equal(string.Concat(tokens), final.Text);
        Assert.Equal(3, watcher.Count);
    }

    [Fact]
    public async Task AnEagerSubscriberHearsOfEveryTokenAtOnceAndReadsEachOnlyOnce()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        using var coalesced = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice);
        using var eager = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice, everyChange: true);
        var read = 0;
        List<string> pieces = [];

        foreach (var token in new[] { "One", " two", " three" })
        {
            call.Send(token);
            await eager.CountAsync(pieces.Count + 1);
            pieces.Add(eager.Subscription.ReadAppended(ref read));
        }
        var coalescedMeanwhile = coalesced.Count;
        call.Complete();
        await eager.FinalAsync();

        Assert.Equal(["One", " two", " three"], pieces);
        Assert.Equal(1, coalescedMeanwhile);
        Assert.True(eager.Subscription.IsFinal);
        Assert.Equal("", eager.Subscription.ReadAppended(ref read));
        using var afterwards = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice, everyChange: true);
        var fromStart = 0;
        Assert.False(afterwards.Subscription.IsLive);
        Assert.True(afterwards.Subscription.IsFinal);
        Assert.Equal("One two three", afterwards.Subscription.ReadAppended(ref fromStart));
        Assert.Equal(13, fromStart);
    }

    [Fact]
    public async Task WithNoModelReachableTheAnswerSaysSoAndHowToConnectOne()
    {
        Chat.Router.Connected = false;
        var conversation = await Chat.Chat.CreateAsync(Alice);

        var turn = await Chat.Chat.SendAsync(Alice, conversation.Id, "What is in our handbook?", "k1");

        var stored = await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status != MessageStatus.Streaming);
        Assert.Equal(MessageStatus.Completed, stored.Status);
        Assert.Contains("No language model is connected", stored.Content);
        Assert.Contains("Nova:Llm:Endpoints", stored.Content);
        Assert.Contains("no documents are indexed", stored.Content);
        Assert.Null(stored.Model);
        Assert.Equal(0, Chat.Model.StreamingCalls);
        Assert.Equal("What is in our handbook?", (await Chat.Chat.GetAsync(Alice, conversation.Id)).Summary.Title);
    }

    [Fact]
    public async Task ReopeningAChatShowsTheAnswerStillBeingWritten()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        call.Send("Still ", "going");
        await Eventually.Async(() => Task.FromResult(Chat.Registry.TryGetState(turn.AssistantMessageId)?.Text), t => t == "Still going");

        var view = await Chat.Chat.GetAsync(Alice, turn.ConversationId);

        var answer = view.Messages[^1];
        Assert.Equal("Still going", answer.Content);
        Assert.Equal(MessageStatus.Streaming, answer.Status);
        call.Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
    }

    [Fact]
    public async Task NulCharactersFromTheModelAreDroppedSoEveryDatabaseStoresTheAnswer()
    {
        var (turn, call) = await Chat.AskAsync(Alice);

        call.Send("a\0b", "\0").Complete();

        var stored = await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Assert.Equal("ab", stored.Content);
    }

    [Fact]
    public async Task AnotherUsersGenerationCannotBeWatchedOrStopped()
    {
        var bob = await Chat.CreateUserAsync("bob");
        var (turn, call) = await Chat.AskAsync(Alice);

        await Assert.ThrowsAsync<ChatNotFoundException>(() => Chat.Registry.SubscribeAsync(turn.AssistantMessageId, bob, () => { }));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => Chat.Registry.StopAsync(turn.AssistantMessageId, bob));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => Chat.Registry.SubscribeAsync(Guid.NewGuid(), Alice, () => { }));

        call.Send("fine").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Assert.False(call.Cancelled.IsCompleted);
        await Assert.ThrowsAsync<ChatNotFoundException>(() => Chat.Registry.SubscribeAsync(turn.AssistantMessageId, bob, () => { }));
        await using var db = Chat.CreateContext();
        Assert.Equal("fine", (await db.Set<ChatMessage>().SingleAsync(m => m.Id == turn.AssistantMessageId)).Content);
    }
}
