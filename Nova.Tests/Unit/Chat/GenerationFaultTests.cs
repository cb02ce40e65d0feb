using System.Text.RegularExpressions;
using Nova.Services.Chat.Data;

namespace Nova.Tests.Unit.Chat;

/// <summary>Faults around a generation: what the user is told, what the log keeps, and a database that goes away.</summary>
public sealed partial class GenerationFaultTests : ChatHostTest
{
    private const string Secret = "sk-live-4f9c2e";
    private const string InternalUrl = "http://10.20.30.40:8000/v1/internal";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailuresDetailGoesToTheLogUnderTheReferenceTheUserSees(bool unreachable)
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        var detail = $"POST {InternalUrl}?api_key={Secret} failed";

        call.Send("Half an ans");
        call.Fail(unreachable ? new HttpRequestException(detail) : new InvalidOperationException(detail));

        var stored = await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status != MessageStatus.Streaming);
        Assert.Equal(MessageStatus.Failed, stored.Status);
        Assert.Equal("Half an ans", stored.Content);
        Assert.DoesNotContain(Secret, stored.Error);
        Assert.DoesNotContain("10.20.30.40", stored.Error);
        var reference = Reference().Match(stored.Error!);
        Assert.True(reference.Success, stored.Error);
        var shown = (await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Messages[^1];
        Assert.Equal(stored.Error, shown.Error);
        Assert.Contains(Chat.Logs.Lines, line => line.Contains(reference.Groups[1].Value) && line.Contains(Secret) && line.Contains(InternalUrl));
    }

    [Fact]
    public async Task AFinalWriteThatMeetsADatabaseOutageLandsOnceItRecovers()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        using var watcher = await Watcher.StartAsync(Chat.Registry, turn.AssistantMessageId, Alice, everyChange: true);
        call.Send("Kept ", "through ", "the outage.");
        await watcher.UntilAsync(s => s.Text == "Kept through the outage.");

        // More failed attempts than a few seconds of retrying would make.
        Chat.Outage.FailNext(8);
        call.Complete();
        var stored = await Eventually.Async(async () =>
        {
            Chat.Clock.Advance(TimeSpan.FromSeconds(30));
            return await Chat.MessageAsync(turn.AssistantMessageId);
        }, m => m.Status != MessageStatus.Streaming);

        Assert.Equal(0, Chat.Outage.FailuresLeft);
        Assert.Equal((MessageStatus.Completed, "Kept through the outage."), (stored.Status, stored.Content));
        Assert.Equal(MessageStatus.Completed, (await watcher.FinalAsync()).Status);
    }

    [Fact]
    public async Task AnAnswerNoGenerationOwnsIsShownInterruptedWithItsTextNotAsStreaming()
    {
        var conversation = await Chat.Chat.CreateAsync(Alice);
        var answerId = await SeedOrphanedAnswerAsync(conversation.Id, "Half an ans");

        var shown = (await Chat.Chat.GetAsync(Alice, conversation.Id)).Messages[^1];
        using var watcher = await Watcher.StartAsync(Chat.Registry, answerId, Alice);

        Assert.Equal((answerId, MessageStatus.Interrupted, "Half an ans"), (shown.Id, shown.Status, shown.Content));
        Assert.False(string.IsNullOrWhiteSpace(shown.Error));
        Assert.Equal((MessageStatus.Interrupted, "Half an ans"), (watcher.Current.Status, watcher.Current.Text));
        var retried = await Chat.Chat.RegenerateAsync(Alice, answerId);
        (await Chat.Model.NextCallAsync()).Send("Whole answer.").Complete();
        await Chat.StoredAsync(retried.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Assert.Equal("Whole answer.", (await Chat.Chat.GetAsync(Alice, conversation.Id)).Messages[^1].Content);
    }

    /// <summary>A question and an answer left Streaming, as a process that died (or never stored the end) leaves them.</summary>
    private async Task<Guid> SeedOrphanedAnswerAsync(Guid conversationId, string text)
    {
        await using var db = Chat.CreateContext();
        var now = Chat.Clock.GetUtcNow();
        var question = new ChatMessage
        {
            Id = Guid.CreateVersion7(now),
            ConversationId = conversationId,
            Role = MessageRole.User,
            Content = "Question?",
            Status = MessageStatus.Completed,
            CreatedAt = now,
        };
        var answer = new ChatMessage
        {
            Id = Guid.CreateVersion7(now),
            ConversationId = conversationId,
            ParentId = question.Id,
            Role = MessageRole.Assistant,
            Content = text,
            Status = MessageStatus.Streaming,
            CreatedAt = now,
        };
        db.AddRange(question, answer);
        var stored = await db.Set<Conversation>().FindAsync(conversationId);
        stored!.CurrentMessageId = answer.Id;
        await db.SaveChangesAsync();
        return answer.Id;
    }

    [GeneratedRegex(@"\(reference ([0-9A-F]{8})\)$")]
    private static partial Regex Reference();
}
