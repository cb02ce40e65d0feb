using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Unit.Chat;

/// <summary>The queries and writes that lean on the provider (dates, search, unique keys, recovery) on SQLite and PostgreSQL.</summary>
public sealed class ChatOnBothDatabasesTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ATurnStreamsFlushesAndIsFoundBySearch(DatabaseProvider provider)
    {
        await using var chat = await ChatHost.StartAsync(provider);
        var alice = await chat.CreateUserAsync("alice");
        var conversation = await chat.Chat.CreateAsync(alice);
        using var otherScope = chat.Services.CreateScope();

        var turns = await Task.WhenAll(
            chat.Chat.SendAsync(alice, conversation.Id, "Ünïcode and 100% \0 NUL", "same"),
            otherScope.ServiceProvider.GetRequiredService<ChatService>().SendAsync(alice, conversation.Id, "Ünïcode and 100% \0 NUL", "same"));
        var call = await chat.Model.NextCallAsync();
        call.Send("Partial\0 ");
        await Eventually.Async(() => Task.FromResult(chat.Registry.TryGetState(turns[0].AssistantMessageId)?.Text), t => t == "Partial ");
        chat.Clock.Advance(TimeSpan.FromSeconds(1));
        await chat.StoredAsync(turns[0].AssistantMessageId, m => m.Content == "Partial ");
        call.Send("answer").Usage(3, 2).Complete();
        var stored = await chat.StoredAsync(turns[0].AssistantMessageId, m => m.Status == MessageStatus.Completed);

        Assert.Equal(turns[0], turns[1]);
        Assert.Equal("Partial answer", stored.Content);
        Assert.Equal((3, 2), (stored.PromptTokens, stored.CompletionTokens));
        Assert.Equal([conversation.Id], (await chat.Chat.ListAsync(alice, new ConversationQuery("PARTIAL ANS"))).Items.Select(c => c.Id));
        Assert.Single((await chat.Chat.ListAsync(alice, new ConversationQuery("100% \u0020"))).Items);
        Assert.Empty((await chat.Chat.ListAsync(alice, new ConversationQuery("1_0"))).Items);
        Assert.Equal(chat.Clock.GetUtcNow().AddSeconds(-1), (await chat.Chat.GetAsync(alice, conversation.Id)).Summary.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ANewChatIsStoredWithItsFirstTurnInOneWrite(DatabaseProvider provider)
    {
        await using var chat = await ChatHost.StartAsync(provider);
        var alice = await chat.CreateUserAsync("alice");

        var turn = await chat.Chat.StartChatAsync(alice, DocumentScope.Off, new ConversationSettings("m", "Be brief.", null, 50), "Ünïcode \0 first", "k");
        (await chat.Model.NextCallAsync()).Send("Yes.").Complete();
        await chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        var view = await chat.Chat.GetAsync(alice, turn.ConversationId);
        Assert.Equal(["Ünïcode  first", "Yes."], view.Messages.Select(m => m.Content));
        Assert.Equal(new ConversationSettings("m", "Be brief.", null, 50), view.Settings);
        Assert.Equal(chat.Clock.GetUtcNow(), view.Summary.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RegeneratedVersionsKeepTheirOrderAndRecoveryFindsLeftoverStreams(DatabaseProvider provider)
    {
        await using var chat = await ChatHost.StartAsync(provider);
        var alice = await chat.CreateUserAsync("alice");
        var (turn, call) = await chat.AskAsync(alice);
        call.Send("one").Complete();
        await chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        chat.Clock.Advance(TimeSpan.FromSeconds(1));
        var again = await chat.Chat.RegenerateAsync(alice, turn.AssistantMessageId);
        await chat.Model.NextCallAsync();

        await chat.Registry.ShutdownAsync();
        await using (var db = chat.CreateContext())
        {
            db.Add(new ChatMessage
            {
                Id = Guid.NewGuid(),
                ConversationId = turn.ConversationId,
                Role = MessageRole.Assistant,
                Status = MessageStatus.Streaming,
                CreatedAt = chat.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, await chat.Registry.RecoverInterruptedAsync());
        var view = await chat.Chat.GetAsync(alice, turn.ConversationId);
        Assert.Equal([turn.AssistantMessageId, again.AssistantMessageId], view.Messages[1].Versions);
        Assert.Equal(MessageStatus.Interrupted, view.Messages[1].Status);
    }
}
