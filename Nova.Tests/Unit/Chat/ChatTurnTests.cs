using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using ChatMessage = Nova.Services.Chat.Data.ChatMessage;

namespace Nova.Tests.Unit.Chat;

public sealed class ChatTurnTests : IAsyncLifetime
{
    private ChatHost _chat = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _chat = await ChatHost.StartAsync();
        _alice = await _chat.CreateUserAsync("alice");
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Fact]
    public async Task TheQuestionAndAnEmptyAnswerAreStoredBeforeTheModelIsCalled()
    {
        List<ChatMessage> storedAtCall = [];
        _chat.Model.OnCall = async () =>
        {
            await using var db = _chat.CreateContext();
            storedAtCall = await db.Set<ChatMessage>().AsNoTracking().ToListAsync();
        };
        var conversation = await _chat.Chat.CreateAsync(_alice);

        var turn = await _chat.Chat.SendAsync(_alice, conversation.Id, "What is Nova?", "key-1");
        var call = await _chat.Model.NextCallAsync();

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
        var conversation = await _chat.Chat.CreateAsync(_alice);
        using var otherScope = _chat.Services.CreateScope();
        var otherCircuit = otherScope.ServiceProvider.GetRequiredService<ChatService>();

        var turns = await Task.WhenAll(
            _chat.Chat.SendAsync(_alice, conversation.Id, "Only once, please", "same-key"),
            otherCircuit.SendAsync(_alice, conversation.Id, "Only once, please", "same-key"));
        var call = await _chat.Model.NextCallAsync();
        call.Send("Once.").Complete();
        await _chat.StoredAsync(turns[0].AssistantMessageId, m => m.Status == MessageStatus.Completed);
        var again = await _chat.Chat.SendAsync(_alice, conversation.Id, "Only once, please", "same-key");

        Assert.Equal(turns[0], turns[1]);
        Assert.Equal(turns[0], again);
        Assert.Equal(2, (await _chat.MessagesAsync(conversation.Id)).Count);
        Assert.Equal(1, _chat.Model.StreamingCalls);
        Assert.False(_chat.Model.HasPendingCall);
    }

    [Fact]
    public async Task AUserMayRunOnlyTheConfiguredNumberOfGenerationsAtOnce()
    {
        var bob = await _chat.CreateUserAsync("bob");
        var (first, firstCall) = await _chat.AskAsync(_alice);
        await _chat.AskAsync(_alice);
        var third = await _chat.Chat.CreateAsync(_alice);

        var refused = await Assert.ThrowsAsync<ChatLimitException>(() => _chat.Chat.SendAsync(_alice, third.Id, "One more", "k3"));

        Assert.Contains("2 answers", refused.Message);
        Assert.Empty(await _chat.MessagesAsync(third.Id));
        await _chat.AskAsync(bob);
        firstCall.Send("done").Complete();
        await _chat.StoredAsync(first.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        await Eventually.Async(() => Task.FromResult(_chat.Registry.RunningCount), n => n == 2);
        var accepted = await _chat.Chat.SendAsync(_alice, third.Id, "One more", "k3");
        Assert.Equal(2, (await _chat.MessagesAsync(third.Id)).Count);
        Assert.NotEqual(Guid.Empty, accepted.AssistantMessageId);
    }

    [Fact]
    public async Task AChatStillWritingAnAnswerRefusesAnotherQuestionAndStoresNothing()
    {
        var (turn, call) = await _chat.AskAsync(_alice);

        await Assert.ThrowsAsync<ChatConflictException>(() => _chat.Chat.SendAsync(_alice, turn.ConversationId, "Another", "k2"));

        Assert.Equal(2, (await _chat.MessagesAsync(turn.ConversationId)).Count);
        call.Complete();
    }

    [Fact]
    public async Task AMessageOverTheLimitIsRefusedClearlyAndNothingIsStored()
    {
        var conversation = await _chat.Chat.CreateAsync(_alice);

        var refused = await Assert.ThrowsAsync<ChatValidationException>(
            () => _chat.Chat.SendAsync(_alice, conversation.Id, new string('x', 32_001), "k1"));
        await Assert.ThrowsAsync<ChatValidationException>(() => _chat.Chat.SendAsync(_alice, conversation.Id, " \n\t", "k2"));
        await Assert.ThrowsAsync<ChatValidationException>(() => _chat.Chat.SendAsync(_alice, conversation.Id, "fine", ""));

        Assert.Contains("32,001", refused.Message);
        Assert.Contains("32,000", refused.Message);
        Assert.Empty(await _chat.MessagesAsync(conversation.Id));
        Assert.Equal(0, _chat.Model.StreamingCalls);
        await _chat.Chat.SendAsync(_alice, conversation.Id, new string('x', 32_000), "k3");
        (await _chat.Model.NextCallAsync()).Complete();
    }

    [Fact]
    public async Task RegenerateKeepsTheEarlierAnswersAsVersionsToFlipThrough()
    {
        var (turn, call) = await _chat.AskAsync(_alice, "Tell me a joke");
        call.Send("First joke").Complete();
        await _chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        _chat.Clock.Advance(TimeSpan.FromSeconds(5));

        var again = await _chat.Chat.RegenerateAsync(_alice, turn.AssistantMessageId);
        var second = await _chat.Model.NextCallAsync();
        second.Send("Second joke").Complete();
        await _chat.StoredAsync(again.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        Assert.Equal(turn.UserMessageId, again.UserMessageId);
        Assert.DoesNotContain(second.Prompt, m => m.Text == "First joke");
        Assert.Equal("Tell me a joke", second.Prompt[^1].Text);
        var view = await _chat.Chat.GetAsync(_alice, turn.ConversationId);
        Assert.Equal(["Tell me a joke", "Second joke"], view.Messages.Select(m => m.Content));
        Assert.Equal([turn.AssistantMessageId, again.AssistantMessageId], view.Messages[1].Versions);
        Assert.Equal(1, view.Messages[1].VersionIndex);

        var earlier = await _chat.Chat.SelectVersionAsync(_alice, turn.AssistantMessageId);
        Assert.Equal("First joke", earlier.Messages[1].Content);
        Assert.Equal(0, earlier.Messages[1].VersionIndex);
        Assert.Equal("First joke", (await _chat.Chat.GetAsync(_alice, turn.ConversationId)).Messages[1].Content);
    }

    [Fact]
    public async Task EditAndResendStartsANewBranchAndKeepsTheOldOne()
    {
        var (first, call) = await _chat.AskAsync(_alice, "Capital of France?");
        call.Send("Paris").Complete();
        await _chat.StoredAsync(first.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        _chat.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await _chat.Chat.SendAsync(_alice, first.ConversationId, "And of Spain?", "k2");
        var secondCall = await _chat.Model.NextCallAsync();
        Assert.Equal(["Capital of France?", "Paris", "And of Spain?"], secondCall.Prompt.Skip(1).Select(m => m.Text));
        secondCall.Send("Madrid").Complete();
        await _chat.StoredAsync(second.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        _chat.Clock.Advance(TimeSpan.FromSeconds(5));

        var edited = await _chat.Chat.EditAndResendAsync(_alice, first.UserMessageId, "Capital of Italy?", "k3");
        var editedCall = await _chat.Model.NextCallAsync();
        editedCall.Send("Rome").Complete();
        await _chat.StoredAsync(edited.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        Assert.Equal(["Capital of Italy?"], editedCall.Prompt.Skip(1).Select(m => m.Text));
        var view = await _chat.Chat.GetAsync(_alice, first.ConversationId);
        Assert.Equal(["Capital of Italy?", "Rome"], view.Messages.Select(m => m.Content));
        Assert.Equal([first.UserMessageId, edited.UserMessageId], view.Messages[0].Versions);
        var original = await _chat.Chat.SelectVersionAsync(_alice, first.UserMessageId);
        Assert.Equal(["Capital of France?", "Paris", "And of Spain?", "Madrid"], original.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task TheModelNamesTheChatAfterTheFirstAnswerAndHostileTitlesStayText()
    {
        _chat.Model.TitleReply = "\"<img src=x onerror=alert(1)> Paris trip\"\nSecond line";
        var conversation = await _chat.Chat.CreateAsync(_alice);
        var turn = await _chat.Chat.SendAsync(_alice, conversation.Id, "Plan a\ntrip to\tParis <script>", "k1");
        Assert.Equal("Plan a trip to Paris <script>", (await _chat.Chat.GetAsync(_alice, conversation.Id)).Summary.Title);
        var named = new TaskCompletionSource<ConversationTitleChanged>();
        _chat.Registry.TitleChanged += e => named.TrySetResult(e);

        (await _chat.Model.NextCallAsync()).Send("Day one: the Louvre.").Complete();

        var change = await named.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((_alice, conversation.Id), (change.OwnerId, change.ConversationId));
        Assert.Equal("<img src=x onerror=alert(1)> Paris trip", change.Title);
        Assert.Equal(change.Title, (await _chat.Chat.GetAsync(_alice, conversation.Id)).Summary.Title);
        Assert.Contains(_chat.Model.TitlePrompts.Single(), m => m.Text.Contains("Plan a\ntrip"));
        await _chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
    }

    [Fact]
    public async Task ARenamedChatKeepsItsNameWhenTheAnswerArrives()
    {
        var conversation = await _chat.Chat.CreateAsync(_alice);
        var turn = await _chat.Chat.SendAsync(_alice, conversation.Id, "Hello", "k1");
        await _chat.Chat.RenameAsync(_alice, conversation.Id, "  My   own\nname ");

        (await _chat.Model.NextCallAsync()).Send("Hi").Complete();
        await Eventually.Async(() => Task.FromResult(_chat.Registry.RunningCount), n => n == 0);

        Assert.Single(_chat.Model.TitlePrompts);
        Assert.Equal("My own name", (await _chat.Chat.GetAsync(_alice, conversation.Id)).Summary.Title);
    }

    [Fact]
    public async Task ChatSettingsReachTheModelAndSillyValuesAreRefusedOrClamped()
    {
        var conversation = await _chat.Chat.CreateAsync(_alice);

        await Assert.ThrowsAsync<ChatValidationException>(
            () => _chat.Chat.UpdateSettingsAsync(_alice, conversation.Id, new ConversationSettings(null, null, 2.5, null)));
        await Assert.ThrowsAsync<ChatValidationException>(
            () => _chat.Chat.UpdateSettingsAsync(_alice, conversation.Id, new ConversationSettings(null, null, double.NaN, null)));
        await Assert.ThrowsAsync<ChatValidationException>(
            () => _chat.Chat.UpdateSettingsAsync(_alice, conversation.Id, new ConversationSettings(null, null, null, 0)));
        var stored = await _chat.Chat.UpdateSettingsAsync(
            _alice, conversation.Id, new ConversationSettings("big-model", "Answer like a pirate.", 0.2, 1_000_000_000));
        await _chat.Chat.SendAsync(_alice, conversation.Id, "Hello", "k1");
        var call = await _chat.Model.NextCallAsync();

        Assert.Equal(8192, stored.MaxTokens);
        Assert.Equal(stored, (await _chat.Chat.GetAsync(_alice, conversation.Id)).Settings);
        Assert.Equal("big-model", _chat.Router.Requested.Last());
        Assert.Equal("Answer like a pirate.", call.Prompt[0].Text);
        Assert.Equal(0.2f, call.Options!.Temperature);
        Assert.Equal(8192, call.Options.MaxOutputTokens);
        call.Complete();
    }
}
