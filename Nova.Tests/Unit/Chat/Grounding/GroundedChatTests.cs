using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Unit.Chat.Grounding;

/// <summary>Answers grounded in documents: what the model is sent, what is stored, and what a citation opens.</summary>
public sealed class GroundedChatTests : ChatHostTest
{
    internal static readonly string[][] Manual =
    [
        ["Pump manual", "Read this manual before installing the pump."],
        ["Pump maintenance", "The pump needs a service every 500 operating hours.", "Replace the seals at every service."],
        ["Warranty", "Parts are covered for two years after purchase."],
    ];

    /// <summary>A building manual long enough for several passages, with the boiler pressure in the middle.</summary>
    internal static readonly string[] BuildingManual =
    [
        "Entrance. The main door opens at seven in the morning and closes at eight in the evening. Visitors sign in at the desk, receive a badge and return it when they leave the building.",
        "Lifts. Both lifts are inspected every month by the maintenance company. If a lift stops between floors, press the alarm button and wait; the company answers within thirty minutes.",
        "Lighting. Corridor lights switch on with motion sensors and switch off after ten minutes. Report a broken lamp to the facilities team with the floor and room number.",
        "Heating. The building is heated by a gas boiler in the basement. The radiators are bled every autumn, and the heating season runs from October to April.",
        "Boiler pressure. The boiler pressure must stay below 2.5 bar. When the pressure gauge of the boiler shows more than 2.5 bar, open the relief valve and call the heating technician.",
        "Hot water. The water heater keeps water at sixty degrees to prevent legionella. Taps in the kitchens mix it down to a safe temperature for washing hands and dishes.",
        "Waste. Paper, plastic and general waste are collected on Tuesdays. Glass goes to the container in the courtyard, and batteries are collected at the front desk.",
        "Parking. The garage has forty places for staff and five for visitors. Electric cars may charge at the four stations near the exit for at most four hours.",
        "Fire safety. Fire drills take place twice a year. The assembly point is the car park across the street; wardens wear yellow vests and count everyone there.",
    ];

    private const string PumpQuestion = "How often does the pump need a service?";

    [Fact]
    public async Task TheModelIsSentNumberedSourcesAndTheAnswerKeepsThem()
    {
        var library = await Chat.Library.CollectionAsync("Manuals");
        var manual = await Chat.Library.IngestAsync(TestFiles.Pdf(Manual), "pump-manual.pdf", library);
        List<MessageSource> storedAtCall = [];
        Chat.Model.OnCall = async () =>
        {
            await using var db = Chat.CreateContext();
            storedAtCall = await db.Set<MessageSource>().AsNoTracking().ToListAsync();
        };

        var (turn, call) = await Chat.AskAsync(Alice, PumpQuestion);

        Assert.Contains(SourcePrompt.Instructions, call.Prompt[0].Text);
        var question = call.Prompt[^1].Text;
        Assert.StartsWith("<sources>\n<source id=\"1\" document=\"pump-manual.pdf\" page=\"2\"", question);
        Assert.Contains("every 500 operating hours", question);
        Assert.EndsWith($"Question:\n{PumpQuestion}", question);
        var first = Assert.Single(storedAtCall, s => s.Number == 1);
        Assert.Equal((manual.Id, "pump-manual.pdf", 2), (first.DocumentId, first.DocumentName, first.Page));
        Assert.Contains("500 operating hours", first.Snippet);
        Assert.InRange(first.Score!.Value, 0.3f, 1f);
        var live = Chat.Registry.TryGetState(turn.AssistantMessageId)!;
        Assert.Equal(storedAtCall.Count, live.Sources.Count);
        Assert.False(live.IsSearching);

        call.Send("Every 500 hours [1].").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        var answer = (await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Messages[^1];
        Assert.Equal(storedAtCall.OrderBy(s => s.Number).Select(s => (s.Number, s.ChunkId)), answer.Sources.Select(s => (s.Number, s.ChunkId)));
        Assert.Equal("page 2", answer.Sources[0].Place);
        Assert.False(answer.Sources[0].DocumentRemoved);
    }

    [Fact]
    public async Task TheTurnIsStoredAtOnceAndTheAnswerSaysItIsSearchingUntilTheSourcesAreFound()
    {
        var library = await Chat.Library.CollectionAsync("Manuals");
        await Chat.Library.IngestAsync(TestFiles.Pdf(Manual), "pump-manual.pdf", library);
        var conversation = await Chat.Chat.CreateAsync(Alice);
        Chat.Embeddings.Close();

        var turn = await Chat.Chat.SendAsync(Alice, conversation.Id, PumpQuestion, "k1");
        var searching = await Eventually.Async(() => Task.FromResult(Chat.Registry.TryGetState(turn.AssistantMessageId)), s => s?.IsSearching == true);

        Assert.Equal(2, (await Chat.MessagesAsync(conversation.Id)).Count);
        Assert.Empty(searching!.Sources);
        Assert.Equal(0, Chat.Model.StreamingCalls);
        Chat.Embeddings.Open();
        var call = await Chat.Model.NextCallAsync();
        var found = Chat.Registry.TryGetState(turn.AssistantMessageId)!;
        Assert.False(found.IsSearching);
        Assert.NotEmpty(found.Sources);
        call.Complete();
    }

    [Fact]
    public async Task RegeneratingAndEditingSearchAgainAndEveryVersionKeepsItsOwnSources()
    {
        var library = await Chat.Library.CollectionAsync("Manuals");
        await Chat.Library.IngestAsync(TestFiles.Pdf(Manual), "pump-manual.pdf", library);
        var (turn, call) = await Chat.AskAsync(Alice, PumpQuestion);
        call.Send("Every 500 hours [1].").Complete();
        await Chat.FinishedAsync(turn.ConversationId);

        var regenerated = await Chat.Chat.RegenerateAsync(Alice, turn.AssistantMessageId);
        var again = await Chat.Model.NextCallAsync();
        again.Send("500 hours [1].").Complete();
        await Chat.FinishedAsync(turn.ConversationId);
        var edited = await Chat.Chat.EditAndResendAsync(Alice, turn.UserMessageId, "How long is the warranty on parts?", "edit-1");
        var third = await Chat.Model.NextCallAsync();
        third.Send("Two years [1].").Complete();
        await Chat.StoredAsync(edited.AssistantMessageId, m => m.Status == MessageStatus.Completed);

        Assert.Contains("<sources>", again.Prompt[^1].Text);
        Assert.Contains("covered for two years", third.Prompt[^1].Text);
        var view = await Chat.Chat.GetAsync(Alice, turn.ConversationId);
        Assert.Equal(3, view.Messages[^1].Sources[0].Page);
        var first = await Chat.Chat.SelectVersionAsync(Alice, turn.AssistantMessageId);
        Assert.Equal(2, first.Messages[^1].Sources[0].Page);
        Assert.NotEmpty((await Chat.Chat.SelectVersionAsync(Alice, regenerated.AssistantMessageId)).Messages[^1].Sources);
    }

    [Fact]
    public async Task AQuestionTheDocumentsHaveNothingForGetsNoSources()
    {
        var library = await Chat.Library.CollectionAsync("Manuals");
        await Chat.Library.IngestAsync(TestFiles.Pdf(Manual), "pump-manual.pdf", library);

        var (turn, call) = await Chat.AskAsync(Alice, "Write a short poem about the sea at night.");

        Assert.Equal([ChatRole.System, ChatRole.User], call.Prompt.Select(m => m.Role));
        Assert.Equal("Write a short poem about the sea at night.", call.Prompt[^1].Text);
        Assert.DoesNotContain(SourcePrompt.Instructions, call.Prompt[0].Text);
        call.Send("Waves.").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        Assert.Empty((await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Messages[^1].Sources);
    }

    [Fact]
    public async Task AChatTurnedOffOrNarrowedSearchesOnlyWhatItWasGiven()
    {
        var manuals = await Chat.Library.CollectionAsync("Manuals");
        var recipes = await Chat.Library.CollectionAsync("Bakery");
        await Chat.Library.IngestAsync(TestFiles.Pdf(Manual), "pump-manual.pdf", manuals);
        await Chat.Library.IngestAsync("The dough pump in the bakery needs a service every week."u8.ToArray(), "bakery.txt", recipes);
        var conversation = await Chat.Chat.CreateAsync(Alice);

        var off = await Chat.Chat.SetDocumentScopeAsync(Alice, conversation.Id, DocumentScope.Off);
        await Chat.Chat.SendAsync(Alice, conversation.Id, PumpQuestion, "k1");
        var unGrounded = await Chat.Model.NextCallAsync();
        unGrounded.Send("No idea.").Complete();
        await Chat.FinishedAsync(conversation.Id);
        var narrowed = await Chat.Chat.SetDocumentScopeAsync(Alice, conversation.Id, DocumentScope.Only([recipes, Guid.NewGuid()]));
        await Chat.Chat.SendAsync(Alice, conversation.Id, PumpQuestion, "k2");
        var recipesOnly = await Chat.Model.NextCallAsync();
        recipesOnly.Complete();

        Assert.Equal(DocumentScopeKind.Off, off.Kind);
        Assert.DoesNotContain("<sources>", unGrounded.Prompt[^1].Text);
        Assert.Equal([recipes], narrowed.CollectionIds);
        Assert.Equal(narrowed.CollectionIds, (await Chat.Chat.GetAsync(Alice, conversation.Id)).Documents.CollectionIds);
        Assert.Contains("bakery.txt", recipesOnly.Prompt[^1].Text);
        Assert.DoesNotContain("pump-manual.pdf", recipesOnly.Prompt[^1].Text);
    }

    [Fact]
    public async Task ACitationOfADeletedDocumentKeepsItsSnippetAndSaysTheDocumentWasRemoved()
    {
        var library = await Chat.Library.CollectionAsync("Manuals");
        var manual = await Chat.Library.IngestAsync(TestFiles.Pdf(Manual), "pump-manual.pdf", library);
        var (turn, call) = await Chat.AskAsync(Alice, PumpQuestion);
        call.Send("Every 500 hours [1].").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        var reader = Chat.Services.GetRequiredService<SourceReader>();

        var before = await reader.ReadAsync(Alice, turn.AssistantMessageId, 1);
        await Chat.Library.Documents.DeleteAsync(RagTestHost.Admin, manual.Id);
        var after = await reader.ReadAsync(Alice, turn.AssistantMessageId, 1);
        var source = (await Chat.Chat.GetAsync(Alice, turn.ConversationId)).Messages[^1].Sources[0];

        Assert.Equal(PassageAvailability.Available, before!.Availability);
        Assert.Contains(before.Parts, p => p.IsCited && p.Text.Contains("500 operating hours") && p.Page == 2);
        Assert.Equal(PassageAvailability.DocumentRemoved, after!.Availability);
        Assert.Empty(after.Parts);
        Assert.True(source.DocumentRemoved);
        Assert.True(after.Source.DocumentRemoved);
        Assert.Contains("500 operating hours", source.Snippet);
        Assert.Equal("pump-manual.pdf", source.DocumentName);
    }

    [Fact]
    public async Task ACitationOpensThePassageWithItsNeighboursOnlyForItsOwner()
    {
        var library = await Chat.Library.CollectionAsync("Manuals");
        var text = string.Join("\n\n", BuildingManual);
        var document = await Chat.Library.IngestAsync(System.Text.Encoding.UTF8.GetBytes(text), "boiler.txt", library);
        var chunks = await Chat.Library.ChunksAsync(document.Id);
        var (turn, call) = await Chat.AskAsync(Alice, "What pressure must the boiler stay below?");
        call.Send("2.5 bar [1].").Complete();
        await Chat.StoredAsync(turn.AssistantMessageId, m => m.Status == MessageStatus.Completed);
        var reader = Chat.Services.GetRequiredService<SourceReader>();
        var bob = await Chat.CreateUserAsync("bob");

        var passage = await reader.ReadAsync(Alice, turn.AssistantMessageId, 1);

        Assert.Equal(PassageAvailability.Available, passage!.Availability);
        var cited = Assert.Single(passage.Parts, p => p.IsCited);
        Assert.Contains("below 2.5 bar", cited.Text);
        // Both passages of the document, in order, the paragraph they share shown once.
        Assert.Equal(2, chunks.Count);
        Assert.Equal(2, passage.Parts.Count);
        var shown = string.Join(" ", passage.Parts.Select(p => p.Text));
        Assert.StartsWith("Entrance.", shown);
        Assert.EndsWith("count everyone there.", shown);
        Assert.Equal(1, Regex.Count(shown, @"must stay below 2\.5 bar"));
        Assert.Null(await reader.ReadAsync(bob, turn.AssistantMessageId, 1));
        Assert.Null(await reader.ReadAsync(Alice, turn.AssistantMessageId, 9));
    }

    [Fact]
    public void TheOverlapOfNeighboursIsFoundWhereOneEndsAsTheOtherBegins()
    {
        Assert.Equal(21, SourceReader.Overlap("First part, then the shared words", "then the shared words and the rest."));
        Assert.Equal(0, SourceReader.Overlap("Some earlier text.", "Nothing in common here."));
        Assert.Equal(0, SourceReader.Overlap("ends with the ", "the start"));
    }

    [Fact]
    public async Task WithNoModelTheAnswerListsTheBestPassagesCitedAndSaysHowToConnectAModel()
    {
        var library = await Chat.Library.CollectionAsync("Manuals");
        await Chat.Library.IngestAsync(TestFiles.Pdf(Manual), "pump-manual.pdf", library);
        Chat.Router.Connected = false;

        var conversation = await Chat.Chat.CreateAsync(Alice);
        var turn = await Chat.Chat.SendAsync(Alice, conversation.Id, PumpQuestion, "k1");
        await Chat.FinishedAsync(conversation.Id);
        var stored = await Chat.MessageAsync(turn.AssistantMessageId);
        var poem = await Chat.Chat.SendAsync(Alice, conversation.Id, "Write a short poem about the sea at night.", "k2");
        var unrelated = await Chat.StoredAsync(poem.AssistantMessageId, m => m.Status != MessageStatus.Streaming);

        Assert.Equal(MessageStatus.Completed, stored.Status);
        Assert.StartsWith("**No language model is connected**", stored.Content);
        Assert.Contains("- **pump\\-manual\\.pdf**, page 2 [1]\n  > ", stored.Content);
        Assert.Contains("500 operating hours", stored.Content);
        Assert.Contains("Nova:Llm:Endpoints", stored.Content);
        Assert.DoesNotContain("no documents are indexed", stored.Content);
        Assert.NotEmpty((await Chat.Chat.GetAsync(Alice, conversation.Id)).Messages[1].Sources);
        Assert.Contains("None of your documents has a passage", unrelated.Content);
        Assert.Equal(0, Chat.Model.StreamingCalls);
    }
}
