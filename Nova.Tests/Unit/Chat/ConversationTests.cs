using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Unit.Chat;

public sealed class ConversationTests : IAsyncLifetime
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
    public async Task TheDrawerListsPinnedChatsFirstThenTheMostRecentInPages()
    {
        List<ConversationSummary> created = [];
        for (var i = 0; i < 5; i++)
        {
            created.Add(await _chat.Chat.CreateAsync(_alice));
            _chat.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await _chat.Chat.SetPinnedAsync(_alice, created[1].Id, true);

        var first = await _chat.Chat.ListAsync(_alice, new ConversationQuery(Take: 3));
        var rest = await _chat.Chat.ListAsync(_alice, new ConversationQuery(Skip: 3, Take: 3));

        Assert.Equal([created[1].Id, created[4].Id, created[3].Id], first.Items.Select(c => c.Id));
        Assert.True(first.HasMore);
        Assert.Equal([created[2].Id, created[0].Id], rest.Items.Select(c => c.Id));
        Assert.False(rest.HasMore);
        Assert.True(first.Items[0].IsPinned);
    }

    [Fact]
    public async Task SearchFindsTitlesAndMessageTextIgnoringCaseAndTreatsWildcardsAsText()
    {
        var (byMessage, call) = await _chat.AskAsync(_alice, "How do I bake SOURDOUGH bread?");
        call.Send("Use a starter at 100% hydration.").Complete();
        await _chat.StoredAsync(byMessage.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        await _chat.Chat.RenameAsync(_alice, byMessage.ConversationId, "Kitchen");
        var byTitle = await _chat.Chat.CreateAsync(_alice);
        await _chat.Chat.RenameAsync(_alice, byTitle.Id, "Sourdough starter log");
        await _chat.Chat.CreateAsync(_alice);

        Assert.Equal(2, (await _chat.Chat.ListAsync(_alice, new ConversationQuery("sourdough"))).Items.Count);
        Assert.Equal([byMessage.ConversationId], (await _chat.Chat.ListAsync(_alice, new ConversationQuery("100% hydr"))).Items.Select(c => c.Id));
        Assert.Empty((await _chat.Chat.ListAsync(_alice, new ConversationQuery("1_0%"))).Items);
        Assert.Equal(3, (await _chat.Chat.ListAsync(_alice, new ConversationQuery("   "))).Items.Count);
    }

    [Fact]
    public async Task RenamingKeepsTitlesAsOneLineOfTextAndRefusesEmptyOnes()
    {
        var conversation = await _chat.Chat.CreateAsync(_alice);

        var renamed = await _chat.Chat.RenameAsync(_alice, conversation.Id, "<b>bold</b>\r\n\u0007 ' OR 1=1 --");

        Assert.Equal("<b>bold</b> ' OR 1=1 --", renamed.Title);
        await Assert.ThrowsAsync<ChatValidationException>(() => _chat.Chat.RenameAsync(_alice, conversation.Id, "\n\t "));
        Assert.Equal(renamed.Title, (await _chat.Chat.GetAsync(_alice, conversation.Id)).Summary.Title);
    }

    [Fact]
    public async Task DeletingAChatStopsItsAnswerAndRemovesEverything()
    {
        var (turn, call) = await _chat.AskAsync(_alice);
        call.Send("partial");

        await _chat.Chat.DeleteAsync(_alice, turn.ConversationId);

        await call.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(await _chat.MessagesAsync(turn.ConversationId));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => _chat.Chat.GetAsync(_alice, turn.ConversationId));
        Assert.Empty((await _chat.Chat.ListAsync(_alice, new ConversationQuery())).Items);
    }

    [Fact]
    public async Task FeedbackIsForAnswersAndCanBeCleared()
    {
        var (turn, call) = await _chat.AskAsync(_alice);
        call.Send("ok").Complete();
        await _chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        await _chat.Chat.SetFeedbackAsync(_alice, turn.AssistantMessageId, MessageFeedback.Up);
        Assert.Equal(MessageFeedback.Up, (await _chat.Chat.GetAsync(_alice, turn.ConversationId)).Messages[1].Feedback);
        await _chat.Chat.SetFeedbackAsync(_alice, turn.AssistantMessageId, null);
        Assert.Null((await _chat.MessageAsync(turn.AssistantMessageId)).Feedback);
        await Assert.ThrowsAsync<ChatValidationException>(() => _chat.Chat.SetFeedbackAsync(_alice, turn.UserMessageId, MessageFeedback.Down));
    }

    [Theory]
    [InlineData("Nova:Chat:MaxConcurrentGenerationsPerUser", "0")]
    [InlineData("Nova:Chat:DefaultTemperature", "3")]
    [InlineData("Nova:Chat:FlushInterval", "00:00:00")]
    public async Task ABadSettingStopsTheStartWithItsKey(string key, string value)
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = ChatHost.Build(database, new FakeModelRouter(new FakeChatClient()), new FakeTimeProvider(), (key, value));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key, failure.Message);
    }
}
