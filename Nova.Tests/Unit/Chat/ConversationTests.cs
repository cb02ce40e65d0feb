using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Unit.Chat;

public sealed class ConversationTests : ChatHostTest
{
    [Fact]
    public async Task TheDrawerListsPinnedChatsFirstThenTheMostRecentInPages()
    {
        List<ConversationSummary> created = [];
        for (var i = 0; i < 5; i++)
        {
            created.Add(await Chat.Chat.CreateAsync(Alice));
            Chat.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await Chat.Chat.SetPinnedAsync(Alice, created[1].Id, true);

        var first = await Chat.Chat.ListAsync(Alice, new ConversationQuery(Take: 3));
        var rest = await Chat.Chat.ListAsync(Alice, new ConversationQuery(Skip: 3, Take: 3));

        Assert.Equal([created[1].Id, created[4].Id, created[3].Id], first.Items.Select(c => c.Id));
        Assert.True(first.HasMore);
        Assert.Equal([created[2].Id, created[0].Id], rest.Items.Select(c => c.Id));
        Assert.False(rest.HasMore);
        Assert.True(first.Items[0].IsPinned);
    }

    [Fact]
    public async Task SearchFindsTitlesAndMessageTextIgnoringCaseAndTreatsWildcardsAsText()
    {
        var (byMessage, call) = await Chat.AskAsync(Alice, "How do I bake SOURDOUGH bread?");
        call.Send("Use a starter at 100% hydration.").Complete();
        await Chat.StoredAsync(byMessage.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        await Chat.Chat.RenameAsync(Alice, byMessage.ConversationId, "Kitchen");
        var byTitle = await Chat.Chat.CreateAsync(Alice);
        await Chat.Chat.RenameAsync(Alice, byTitle.Id, "Sourdough starter log");
        await Chat.Chat.CreateAsync(Alice);

        Assert.Equal(2, (await Chat.Chat.ListAsync(Alice, new ConversationQuery("sourdough"))).Items.Count);
        Assert.Equal([byMessage.ConversationId], (await Chat.Chat.ListAsync(Alice, new ConversationQuery("100% hydr"))).Items.Select(c => c.Id));
        Assert.Empty((await Chat.Chat.ListAsync(Alice, new ConversationQuery("1_0%"))).Items);
        Assert.Equal(3, (await Chat.Chat.ListAsync(Alice, new ConversationQuery("   "))).Items.Count);
    }

    [Fact]
    public async Task RenamingKeepsTitlesAsOneLineOfTextAndRefusesEmptyOnes()
    {
        var conversation = await Chat.Chat.CreateAsync(Alice);

        var renamed = await Chat.Chat.RenameAsync(Alice, conversation.Id, "<b>bold</b>\r\n\u0007 ' OR 1=1 --");

        Assert.Equal("<b>bold</b> ' OR 1=1 --", renamed.Title);
        await Assert.ThrowsAsync<ChatValidationException>(() => Chat.Chat.RenameAsync(Alice, conversation.Id, "\n\t "));
        Assert.Equal(renamed.Title, (await Chat.Chat.GetAsync(Alice, conversation.Id)).Summary.Title);
    }

    [Theory]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("\u2066Quarterly\u2069 \u200Breport\u200D\uE000", "Quarterly report")]
    [InlineData("line one\u2028line\u2029two\u0085three", "line one line two three")]
    [InlineData("\u061CRTL\u202Bmark\u202C", "RTLmark")]
    public async Task TitlesLoseBidiOverridesAndInvisibleCharactersWhoeverWritesThem(string written, string shown)
    {
        var renamed = await Chat.Chat.RenameAsync(Alice, (await Chat.Chat.CreateAsync(Alice)).Id, written);
        var (turn, call) = await Chat.AskAsync(Alice, written);
        var titledByTheQuestion = (await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Summary.Title;
        call.Send("fine").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        Assert.Equal(shown, renamed.Title);
        Assert.Equal(shown, titledByTheQuestion);
        Assert.Equal(shown, TitleText.FromModel($"\"{written}\"\nBecause it is about {written}"));
    }

    [Fact]
    public async Task DeletingAChatStopsItsAnswerAndRemovesEverything()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        call.Send("partial");

        await Chat.Chat.DeleteAsync(Alice, turn.ConversationId);

        await call.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(await Chat.MessagesAsync(turn.ConversationId));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => Chat.Chat.GetAsync(Alice, turn.ConversationId));
        Assert.Empty((await Chat.Chat.ListAsync(Alice, new ConversationQuery())).Items);
    }

    [Fact]
    public async Task FeedbackIsForAnswersAndCanBeCleared()
    {
        var (turn, call) = await Chat.AskAsync(Alice);
        call.Send("ok").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        await Chat.Chat.SetFeedbackAsync(Alice, turn.AssistantMessageId, MessageFeedback.Up);
        Assert.Equal(MessageFeedback.Up, (await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Messages[1].Feedback);
        await Chat.Chat.SetFeedbackAsync(Alice, turn.AssistantMessageId, null);
        Assert.Null((await Chat.MessageAsync(turn.AssistantMessageId)).Feedback);
        await Assert.ThrowsAsync<ChatValidationException>(() => Chat.Chat.SetFeedbackAsync(Alice, turn.UserMessageId, MessageFeedback.Down));
    }

    [Theory]
    [InlineData("Nova:Chat:MaxConcurrentGenerationsPerUser", "0")]
    [InlineData("Nova:Chat:DefaultTemperature", "3")]
    [InlineData("Nova:Chat:FlushInterval", "00:00:00")]
    [InlineData("Nova:Chat:Documents:TopK", "0")]
    [InlineData("Nova:Chat:Documents:MinSimilarity", "1.5")]
    [InlineData("Nova:Chat:MaxInputChars", "200001")]
    public async Task ABadSettingStopsTheStartWithItsKey(string key, string value)
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = ChatHost.Build(database, new FakeModelRouter(new FakeChatClient()), new FakeTimeProvider(), (key, value));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key, failure.Message);
    }
}
