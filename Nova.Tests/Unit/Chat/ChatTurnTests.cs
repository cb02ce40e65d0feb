using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using ChatMessage = Nova.Services.Chat.Data.ChatMessage;

namespace Nova.Tests.Unit.Chat;

public sealed class ChatTurnTests : ChatHostTest
{
    [Fact]
    public async Task TheQuestionAndAnEmptyAnswerAreStoredBeforeTheModelIsCalled()
    {
        List<ChatMessage> storedAtCall = [];
        Chat.Model.OnCall = async () =>
        {
            await using var db = Chat.CreateContext();
            storedAtCall = await db.Set<ChatMessage>().AsNoTracking().ToListAsync();
        };
        var conversation = await Chat.Chat.CreateAsync(Alice);

        var turn = await Chat.Chat.SendAsync(Alice, conversation.Id, "What is Nova?", "key-1");
        var call = await Chat.Model.NextCallAsync();

        Assert.Equal(2, storedAtCall.Count);
        var question = storedAtCall.Single(m => m.Id == turn.UserMessageId);
        Assert.Equal(("What is Nova?", MessageRole.User, MessageStatus.Completed), (question.Content, question.Role, question.Status));
        var answer = storedAtCall.Single(m => m.Id == turn.AssistantMessageId);
        Assert.Equal(("", MessageRole.Assistant, MessageStatus.Streaming, question.Id), (answer.Content, answer.Role, answer.Status, answer.ParentId));
        Assert.Equal(ChatRole.System, call.Prompt[0].Role);
        Assert.Equal((ChatRole.User, "What is Nova?"), (call.Prompt[^1].Role, call.Prompt[^1].Text));
        call.Complete();
    }

    [Fact]
    public async Task TheSameMessageSubmittedTwiceIsOneTurnAndOneUpstreamCall()
    {
        var conversation = await Chat.Chat.CreateAsync(Alice);
        using var otherScope = Chat.Services.CreateScope();
        var otherCircuit = otherScope.ServiceProvider.GetRequiredService<ChatService>();

        var turns = await Task.WhenAll(
            Chat.Chat.SendAsync(Alice, conversation.Id, "Only once, please", "same-key"),
            otherCircuit.SendAsync(Alice, conversation.Id, "Only once, please", "same-key"));
        var call = await Chat.Model.NextCallAsync();
        call.Send("Once.").Complete();
        await Chat.StoredAsync(turns[0].AssistantMessageId, m => m.Status == MessageStatus.Completed);
        var again = await Chat.Chat.SendAsync(Alice, conversation.Id, "Only once, please", "same-key");

        Assert.Equal(turns[0], turns[1]);
        Assert.Equal(turns[0], again);
        Assert.Equal(2, (await Chat.MessagesAsync(conversation.Id)).Count);
        Assert.Equal(1, Chat.Model.StreamingCalls);
        Assert.False(Chat.Model.HasPendingCall);
    }

    [Fact]
    public async Task AUserMayRunOnlyTheConfiguredNumberOfGenerationsAtOnce()
    {
        var bob = await Chat.CreateUserAsync("bob");
        var (first, firstCall) = await Chat.AskAsync(Alice);
        await Chat.AskAsync(Alice);
        var third = await Chat.Chat.CreateAsync(Alice);

        var refused = await Assert.ThrowsAsync<ChatLimitException>(() => Chat.Chat.SendAsync(Alice, third.Id, "One more", "k3"));

        Assert.Contains("2 answers", refused.Message);
        Assert.Empty(await Chat.MessagesAsync(third.Id));
        await Chat.AskAsync(bob);
        firstCall.Send("done").Complete();
        await Chat.StoredAsync(first.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        await Eventually.Async(() => Task.FromResult(Chat.Registry.RunningCount), n => n == 2);
        var accepted = await Chat.Chat.SendAsync(Alice, third.Id, "One more", "k3");
        Assert.Equal(2, (await Chat.MessagesAsync(third.Id)).Count);
        Assert.NotEqual(Guid.Empty, accepted.AssistantMessageId);
    }

    [Fact]
    public async Task AChatStillWritingAnAnswerRefusesAnotherQuestionAndStoresNothing()
    {
        var (turn, call) = await Chat.AskAsync(Alice);

        await Assert.ThrowsAsync<ChatConflictException>(() => Chat.Chat.SendAsync(Alice, turn.ConversationId, "Another", "k2"));

        Assert.Equal(2, (await Chat.MessagesAsync(turn.ConversationId)).Count);
        call.Complete();
    }

    [Fact]
    public async Task AMessageOverTheLimitIsRefusedClearlyAndNothingIsStored()
    {
        var conversation = await Chat.Chat.CreateAsync(Alice);

        var refused = await Assert.ThrowsAsync<ChatValidationException>(
            () => Chat.Chat.SendAsync(Alice, conversation.Id, new string('x', 32_001), "k1"));
        await Assert.ThrowsAsync<ChatValidationException>(() => Chat.Chat.SendAsync(Alice, conversation.Id, " \n\t", "k2"));
        await Assert.ThrowsAsync<ChatValidationException>(() => Chat.Chat.SendAsync(Alice, conversation.Id, "fine", ""));

        Assert.Contains("32,001", refused.Message);
        Assert.Contains("32,000", refused.Message);
        Assert.Empty(await Chat.MessagesAsync(conversation.Id));
        Assert.Equal(0, Chat.Model.StreamingCalls);
        await Chat.Chat.SendAsync(Alice, conversation.Id, new string('x', 32_000), "k3");
        (await Chat.Model.NextCallAsync()).Complete();
    }

    [Fact]
    public async Task RegenerateKeepsTheEarlierAnswersAsVersionsToFlipThrough()
    {
        var (turn, call) = await Chat.AskAsync(Alice, "Tell me a joke");
        call.Send("First joke").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Chat.Clock.Advance(TimeSpan.FromSeconds(5));

        var again = await Chat.Chat.RegenerateAsync(Alice, turn.AssistantMessageId);
        var second = await Chat.Model.NextCallAsync();
        second.Send("Second joke").Complete();
        await Chat.StoredAsync(again.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        Assert.Equal(turn.UserMessageId, again.UserMessageId);
        Assert.DoesNotContain(second.Prompt, m => m.Text == "First joke");
        Assert.Equal("Tell me a joke", second.Prompt[^1].Text);
        var view = await Chat.Chat.GetAsync(Alice, turn.ConversationId);
        Assert.Equal(["Tell me a joke", "Second joke"], view.Messages.Select(m => m.Content));
        Assert.Equal([turn.AssistantMessageId, again.AssistantMessageId], view.Messages[1].Versions);
        Assert.Equal(1, view.Messages[1].VersionIndex);

        var earlier = await Chat.Chat.SelectVersionAsync(Alice, turn.AssistantMessageId);
        Assert.Equal("First joke", earlier.Messages[1].Content);
        Assert.Equal(0, earlier.Messages[1].VersionIndex);
        Assert.Equal("First joke", (await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Messages[1].Content);
    }

    [Fact]
    public async Task EditAndResendStartsANewBranchAndKeepsTheOldOne()
    {
        var (first, call) = await Chat.AskAsync(Alice, "Capital of France?");
        call.Send("Paris").Complete();
        await Chat.StoredAsync(first.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Chat.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await Chat.Chat.SendAsync(Alice, first.ConversationId, "And of Spain?", "k2");
        var secondCall = await Chat.Model.NextCallAsync();
        Assert.Equal(["Capital of France?", "Paris", "And of Spain?"], secondCall.Prompt.Skip(1).Select(m => m.Text));
        secondCall.Send("Madrid").Complete();
        await Chat.StoredAsync(second.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Chat.Clock.Advance(TimeSpan.FromSeconds(5));

        var edited = await Chat.Chat.EditAndResendAsync(Alice, first.UserMessageId, "Capital of Italy?", "k3");
        var editedCall = await Chat.Model.NextCallAsync();
        editedCall.Send("Rome").Complete();
        await Chat.StoredAsync(edited.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        Assert.Equal(["Capital of Italy?"], editedCall.Prompt.Skip(1).Select(m => m.Text));
        var view = await Chat.Chat.GetAsync(Alice, first.ConversationId);
        Assert.Equal(["Capital of Italy?", "Rome"], view.Messages.Select(m => m.Content));
        Assert.Equal([first.UserMessageId, edited.UserMessageId], view.Messages[0].Versions);
        var original = await Chat.Chat.SelectVersionAsync(Alice, first.UserMessageId);
        Assert.Equal(["Capital of France?", "Paris", "And of Spain?", "Madrid"], original.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task TheModelNamesTheChatAfterTheFirstAnswerAndHostileTitlesStayText()
    {
        Chat.Model.TitleReply = "\"<img src=x onerror=alert(1)> Paris trip\"\nSecond line";
        var conversation = await Chat.Chat.CreateAsync(Alice);
        var turn = await Chat.Chat.SendAsync(Alice, conversation.Id, "Plan a\ntrip to\tParis <script>", "k1");
        Assert.Equal("Plan a trip to Paris <script>", (await Chat.Chat.GetAsync(Alice, conversation.Id)).Summary.Title);
        var named = new TaskCompletionSource<ConversationTitleChanged>();
        Chat.Registry.TitleChanged += e => named.TrySetResult(e);

        (await Chat.Model.NextCallAsync()).Send("Day one: the Louvre.").Complete();

        var change = await named.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((Alice, conversation.Id), (change.OwnerId, change.ConversationId));
        Assert.Equal("<img src=x onerror=alert(1)> Paris trip", change.Title);
        Assert.Equal(change.Title, (await Chat.Chat.GetAsync(Alice, conversation.Id)).Summary.Title);
        Assert.Contains(Chat.Model.TitlePrompts.Single(), m => m.Text.Contains("Plan a\ntrip"));
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
    }

    [Fact]
    public async Task ARenamedChatKeepsItsNameWhenTheAnswerArrives()
    {
        var conversation = await Chat.Chat.CreateAsync(Alice);
        var turn = await Chat.Chat.SendAsync(Alice, conversation.Id, "Hello", "k1");
        await Chat.Chat.RenameAsync(Alice, conversation.Id, "  My   own\nname ");

        (await Chat.Model.NextCallAsync()).Send("Hi").Complete();
        await Eventually.Async(() => Task.FromResult(Chat.Registry.RunningCount), n => n == 0);
        // The model is asked for a title after the answer is stored, and its title is then refused.
        await Eventually.Async(() => Task.FromResult(Chat.Model.TitlePrompts.Count), n => n == 1);

        Assert.Equal("My own name", (await Chat.Chat.GetAsync(Alice, conversation.Id)).Summary.Title);
    }

    [Fact]
    public async Task ChatSettingsReachTheModelAndSillyValuesAreRefusedOrClamped()
    {
        var conversation = await Chat.Chat.CreateAsync(Alice);

        await Assert.ThrowsAsync<ChatValidationException>(
            () => Chat.Chat.UpdateSettingsAsync(Alice, conversation.Id, new ConversationSettings(null, null, 2.5, null)));
        await Assert.ThrowsAsync<ChatValidationException>(
            () => Chat.Chat.UpdateSettingsAsync(Alice, conversation.Id, new ConversationSettings(null, null, double.NaN, null)));
        await Assert.ThrowsAsync<ChatValidationException>(
            () => Chat.Chat.UpdateSettingsAsync(Alice, conversation.Id, new ConversationSettings(null, null, null, 0)));
        var stored = await Chat.Chat.UpdateSettingsAsync(
            Alice, conversation.Id, new ConversationSettings("big-model", "Answer like a pirate.", 0.2, 1_000_000_000));
        await Chat.Chat.SendAsync(Alice, conversation.Id, "Hello", "k1");
        var call = await Chat.Model.NextCallAsync();

        Assert.Equal(8192, stored.MaxTokens);
        Assert.Equal(stored, (await Chat.Chat.GetAsync(Alice, conversation.Id)).Settings);
        Assert.Equal("big-model", Chat.Router.Requested.Last());
        Assert.Equal("Answer like a pirate.", call.Prompt[0].Text);
        Assert.Equal(0.2f, call.Options!.Temperature);
        Assert.Equal(8192, call.Options.MaxOutputTokens);
        call.Complete();
    }
}
