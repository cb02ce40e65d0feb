using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;
using Nova.Tests.Unit.Rag;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Nova.Tests.Unit.Chat.Grounding;

/// <summary>
/// A chat never retrieves from a collection its owner cannot read at the moment of the question, whatever
/// the chat stored earlier: checked against the roles in the database, on SQLite and PostgreSQL.
/// </summary>
public sealed class GroundingVisibilityTests
{
    private const string Question = "What is the salary of the canteen manager?";
    private static readonly byte[] Salaries = "The salary of the canteen manager is 4200 euros a month."u8.ToArray();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ADemotedUserLosesARoleOnlyCollectionAtTheirNextQuestion(DatabaseProvider provider)
    {
        await using var chat = await ChatHost.StartAsync(provider);
        var hr = await chat.Library.CollectionAsync("Salaries", "HR");
        await chat.Library.IngestAsync(Salaries, "salaries.txt", hr);
        var bob = await chat.CreateUserAsync("bob", NovaRoles.User, "HR");
        var conversation = await chat.Chat.CreateAsync(bob);

        await chat.Chat.SendAsync(bob, conversation.Id, Question, "k1");
        var allowed = await chat.Model.NextCallAsync();
        allowed.Send("4200 euros [1].").Complete();
        await chat.FinishedAsync(conversation.Id);
        await chat.SetRolesAsync(bob, NovaRoles.User);
        await chat.Chat.SendAsync(bob, conversation.Id, Question, "k2");
        var demoted = await chat.Model.NextCallAsync();
        demoted.Complete();

        Assert.Contains("<source id=\"1\" document=\"salaries.txt\"", allowed.Prompt[^1].Text);
        Assert.Equal(Question, demoted.Prompt[^1].Text);
        Assert.DoesNotContain(demoted.Prompt, m => m.Text.Contains("<sources>"));
        Assert.Empty(await Grounding(chat).CollectionsAsync(bob));
        var direct = await Grounding(chat).GroundAsync(bob, [new AiMessage(ChatRole.User, Question)], DocumentScope.Only([hr]));
        Assert.Equal((0, false), (direct.Sources.Count, direct.Searched));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ACollectionMadeRoleOnlyStopsReachingOtherUsersAtOnce(DatabaseProvider provider)
    {
        await using var chat = await ChatHost.StartAsync(provider);
        await chat.Library.CollectionAsync("Board minutes", "Board");
        var handbook = await chat.Library.CollectionAsync("Handbook");
        await chat.Library.IngestAsync(Salaries, "salaries.txt", handbook);
        var alice = await chat.CreateUserAsync("alice", NovaRoles.User);
        var conversation = await chat.Chat.CreateAsync(alice, DocumentScope.Only([handbook]));

        var turn = await chat.Chat.SendAsync(alice, conversation.Id, Question, "k1");
        var open = await chat.Model.NextCallAsync();
        open.Send("4200 euros [1].").Complete();
        await chat.FinishedAsync(conversation.Id);
        await chat.Library.Documents.UpdateCollectionAsync(RagTestHost.Admin, handbook, "Handbook", "Board");
        await chat.Chat.SendAsync(alice, conversation.Id, Question, "k2");
        var closed = await chat.Model.NextCallAsync();
        closed.Complete();
        var citation = await chat.Services.GetRequiredService<SourceReader>().ReadAsync(alice, turn.AssistantMessageId, 1);

        Assert.Contains("salaries.txt", open.Prompt[^1].Text);
        Assert.Equal(Question, closed.Prompt[^1].Text);
        Assert.Equal(PassageAvailability.NoAccess, citation!.Availability);
        Assert.Empty(citation.Parts);
        Assert.Contains("4200 euros", citation.Source.Snippet);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CollectionsOfOtherRolesCanNeitherBeChosenNorSearched(DatabaseProvider provider)
    {
        await using var chat = await ChatHost.StartAsync(provider);
        var board = await chat.Library.CollectionAsync("Board minutes", "Board");
        await chat.Library.IngestAsync(Salaries, "salaries.txt", board);
        var alice = await chat.CreateUserAsync("alice", NovaRoles.User);
        var bob = await chat.CreateUserAsync("bob", NovaRoles.User, "Board");
        var conversation = await chat.Chat.CreateAsync(alice);

        var chosen = await chat.Chat.SetDocumentScopeAsync(alice, conversation.Id, DocumentScope.Only([board]));
        await using (var db = chat.CreateContext())
        {
            // What a chat narrowed while Alice could still read the collection would hold.
            db.Add(new ConversationCollection { ConversationId = conversation.Id, CollectionId = board });
            await db.SaveChangesAsync();
        }
        await chat.Chat.SendAsync(alice, conversation.Id, Question, "k1");
        var forced = await chat.Model.NextCallAsync();
        forced.Complete();
        var bobs = await Grounding(chat).GroundAsync(bob, [new AiMessage(ChatRole.User, Question)], DocumentScope.All);
        var bobsCollections = await Grounding(chat).CollectionsAsync(bob);
        await using (var db = chat.CreateContext())
        {
            await db.Users.Where(u => u.Id == bob).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddYears(1)));
        }
        var locked = await Grounding(chat).GroundAsync(bob, [new AiMessage(ChatRole.User, Question)], DocumentScope.All);

        Assert.Empty(chosen.CollectionIds);
        Assert.Equal([board], (await chat.Chat.GetAsync(alice, conversation.Id)).Documents.CollectionIds);
        Assert.Equal(Question, forced.Prompt[^1].Text);
        Assert.Empty(await Grounding(chat).CollectionsAsync(alice));
        Assert.Equal([("Board minutes", 1)], bobsCollections.Select(c => (c.Name, c.ReadyDocuments)));
        Assert.Equal("salaries.txt", Assert.Single(bobs.Sources).DocumentName);
        Assert.Empty(locked.Sources);
        Assert.Empty(await Grounding(chat).CollectionsAsync(bob));
    }

    private static ChatGrounding Grounding(ChatHost chat) => chat.Services.GetRequiredService<ChatGrounding>();
}
