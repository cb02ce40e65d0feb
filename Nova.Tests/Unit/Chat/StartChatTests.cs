using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using ChatMessage = Nova.Services.Chat.Data.ChatMessage;

namespace Nova.Tests.Unit.Chat;

/// <summary><see cref="ChatService.StartChatAsync(string, DocumentScope, ConversationSettings, string, string, CancellationToken)"/>: a new chat and its first turn in one write, as the REST API starts them.</summary>
public sealed class StartChatTests : ChatHostTest
{
    private static readonly ConversationSettings Settings = new("fake-model", "Be brief.", 0.3, 100);

    [Fact]
    public async Task TheChatItsSettingsTheQuestionAndAnEmptyAnswerAreStoredBeforeTheModelIsCalled()
    {
        (List<Conversation> Chats, List<ChatMessage> Messages) storedAtCall = ([], []);
        Chat.Model.OnCall = async () =>
        {
            await using var db = Chat.CreateContext();
            storedAtCall = (await db.Set<Conversation>().AsNoTracking().ToListAsync(), await db.Set<ChatMessage>().AsNoTracking().ToListAsync());
        };

        var turn = await Chat.Chat.StartChatAsync(Alice, DocumentScope.Off, Settings, "What is Nova?", "key-1");
        var call = await Chat.Model.NextCallAsync();

        var chat = Assert.Single(storedAtCall.Chats);
        Assert.Equal((turn.ConversationId, Alice, "What is Nova?", turn.AssistantMessageId), (chat.Id, chat.OwnerId, chat.Title, chat.CurrentMessageId));
        Assert.Equal(("fake-model", "Be brief.", 0.3, 100, DocumentScopeKind.Off),
            (chat.Model, chat.SystemPrompt, chat.Temperature, chat.MaxTokens, chat.DocumentScope));
        Assert.Equal(2, storedAtCall.Messages.Count);
        var question = storedAtCall.Messages.Single(m => m.Id == turn.UserMessageId);
        Assert.Equal(("What is Nova?", MessageRole.User, null, "key-1"), (question.Content, question.Role, question.ParentId, question.IdempotencyKey));
        var answer = storedAtCall.Messages.Single(m => m.Id == turn.AssistantMessageId);
        Assert.Equal(("", MessageStatus.Streaming, question.Id), (answer.Content, answer.Status, answer.ParentId));
        Assert.Equal((ChatRole.System, "Be brief."), (call.Prompt[0].Role, call.Prompt[0].Text));
        Assert.Equal("What is Nova?", call.Prompt[^1].Text);
        Assert.Equal(("fake-model", 0.3f, 100), (call.Options?.ModelId, call.Options?.Temperature, call.Options?.MaxOutputTokens));
        call.Send("Nova is a chat.").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        var view = await Chat.Chat.GetAsync(Alice, turn.ConversationId);
        Assert.Equal(["What is Nova?", "Nova is a chat."], view.Messages.Select(m => m.Content));
        Assert.Equal([turn.ConversationId], (await Chat.Chat.ListAsync(Alice, new ConversationQuery())).Items.Select(c => c.Id));
    }

    [Fact]
    public async Task ARefusedChatLeavesNothingBehind()
    {
        await Assert.ThrowsAsync<ChatValidationException>(() =>
            Chat.Chat.StartChatAsync(Alice, DocumentScope.Off, Settings with { Temperature = 3 }, "Hello?", "k1"));
        await Assert.ThrowsAsync<ChatValidationException>(() =>
            Chat.Chat.StartChatAsync(Alice, DocumentScope.Off, Settings, " \n", "k2"));
        await Chat.AskAsync(Alice);
        await Chat.AskAsync(Alice);
        var refused = await Assert.ThrowsAsync<ChatLimitException>(() =>
            Chat.Chat.StartChatAsync(Alice, DocumentScope.Off, Settings, "A third at once", "k3"));

        Assert.Contains("2 answers", refused.Message);
        Assert.Equal(2, (await Chat.Chat.ListAsync(Alice, new ConversationQuery())).Items.Count);
    }

    [Fact]
    public async Task ChosenCollectionsTheUserMayNotReadAreLeftOut()
    {
        var manuals = await Chat.Library.CollectionAsync("Manuals");
        var lab = await Chat.Library.CollectionAsync("Lab", "Engineering");

        var turn = await Chat.Chat.StartChatAsync(Alice, DocumentScope.Only([manuals, lab]), Settings, "How often is a service due?", "k1");

        var documents = (await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Documents;
        Assert.Equal(DocumentScopeKind.Collections, documents.Kind);
        Assert.Equal([manuals], documents.CollectionIds);
    }
}
