using System.Text;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Rag;

/// <summary>A document is always in a collection someone can read: "General", made on demand, catches the rest.</summary>
public sealed class DefaultCollectionTests
{
    private static readonly System.Security.Claims.ClaimsPrincipal AnyUser = RagTestHost.Principal("u1", "User");

    [Fact]
    public async Task AnUploadWithoutCollectionsGoesToGeneralAndEveryoneCanRetrieveIt()
    {
        await using var host = await RagTestHost.StartAsync();

        var document = await host.IngestAsync(Encoding.UTF8.GetBytes("The boiler room key hangs by the door."), "keys.txt");

        var general = Assert.Single(await host.Documents.ListCollectionsAsync(RagTestHost.Admin));
        Assert.Equal((Collection.DefaultName, Collection.Everyone, 1), (general.Name, general.Visibility, general.DocumentCount));
        Assert.Equal([general.Id], document.CollectionIds);
        Assert.Equal(document.Id, Assert.Single(await host.Retrieval.SearchAsync("boiler room key", AnyUser)).DocumentId);
    }

    [Fact]
    public async Task GeneralIsMadeOnceAndReusedEvenWhenUploadsRace()
    {
        await using var host = await RagTestHost.StartAsync();

        var uploads = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            host.Documents.UploadAsync(RagTestHost.Admin, new MemoryStream(Encoding.UTF8.GetBytes($"Note {i}")), $"n{i}.txt", []))));
        var later = await host.Documents.UploadAsync(RagTestHost.Admin, new MemoryStream("Later."u8.ToArray()), "later.txt", []);

        var general = Assert.Single(await host.Documents.ListCollectionsAsync(RagTestHost.Admin));
        Assert.Equal(7, general.DocumentCount);
        Assert.All(uploads.Append(later), d => Assert.Equal([general.Id], d.CollectionIds));
    }

    [Fact]
    public async Task ChosenCollectionsAreKeptAndGeneralIsNotAdded()
    {
        await using var host = await RagTestHost.StartAsync();
        var manuals = await host.CollectionAsync("Manuals");

        var document = await host.Documents.UploadAsync(RagTestHost.Admin, new MemoryStream("Manual."u8.ToArray()), "m.txt", [manuals, manuals]);

        Assert.Equal([manuals], document.CollectionIds);
        Assert.DoesNotContain(await host.Documents.ListCollectionsAsync(RagTestHost.Admin), c => c.Name == Collection.DefaultName);
    }

    [Fact]
    public async Task TakingADocumentOutOfEveryCollectionFilesItUnderGeneral()
    {
        await using var host = await RagTestHost.StartAsync();
        var hr = await host.CollectionAsync("HR only", "HR");
        var document = await host.IngestAsync(Encoding.UTF8.GetBytes("Parking permits are issued by reception."), "parking.txt", hr);
        Assert.Empty(await host.Retrieval.SearchAsync("parking permits", AnyUser));

        await host.Documents.SetCollectionsAsync(RagTestHost.Admin, document.Id, []);

        var general = (await host.Documents.ListCollectionsAsync(RagTestHost.Admin)).Single(c => c.Name == Collection.DefaultName);
        Assert.Equal([general.Id], (await host.Documents.GetAsync(RagTestHost.Admin, document.Id))!.CollectionIds);
        Assert.Equal(document.Id, Assert.Single(await host.Retrieval.SearchAsync("parking permits", AnyUser, mode: Nova.Services.Rag.Retrieval.RetrievalMode.Dense)).DocumentId);
        Assert.Equal(document.Id, Assert.Single(await host.Retrieval.SearchAsync("parking permits", AnyUser, mode: Nova.Services.Rag.Retrieval.RetrievalMode.Lexical)).DocumentId);
    }

    [Fact]
    public async Task DeletingADocumentsLastCollectionMovesItToGeneralAndKeepsOthersWhereTheyAre()
    {
        await using var host = await RagTestHost.StartAsync();
        var archive = await host.CollectionAsync("Archive", "HR");
        var handbook = await host.CollectionAsync("Handbook");
        var alone = await host.IngestAsync(Encoding.UTF8.GetBytes("The archive closes at five."), "archive.txt", archive);
        var shared = await host.IngestAsync(Encoding.UTF8.GetBytes("Lunch is served at noon."), "lunch.txt", archive, handbook);

        Assert.True(await host.Documents.DeleteCollectionAsync(RagTestHost.Admin, archive));

        var collections = await host.Documents.ListCollectionsAsync(RagTestHost.Admin);
        var general = collections.Single(c => c.Name == Collection.DefaultName);
        Assert.Equal([general.Id], (await host.Documents.GetAsync(RagTestHost.Admin, alone.Id))!.CollectionIds);
        Assert.Equal([handbook], (await host.Documents.GetAsync(RagTestHost.Admin, shared.Id))!.CollectionIds);
        Assert.Equal(alone.Id, (await host.Retrieval.SearchAsync("archive closes", AnyUser, topK: 1)).Single().DocumentId);
        Assert.DoesNotContain(collections, c => c.Id == archive);
    }

    [Fact]
    public async Task GeneralCannotBeDeletedWhileItIsSomeDocumentsOnlyCollection()
    {
        await using var host = await RagTestHost.StartAsync();
        var document = await host.Documents.UploadAsync(RagTestHost.Admin, new MemoryStream("Orphan."u8.ToArray()), "o.txt", []);
        var general = Assert.Single(document.CollectionIds);

        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => host.Documents.DeleteCollectionAsync(RagTestHost.Admin, general));
        var manuals = await host.CollectionAsync("Manuals");
        await host.Documents.SetCollectionsAsync(RagTestHost.Admin, document.Id, [manuals]);

        Assert.Equal(RejectionKind.Invalid, refused.Kind);
        Assert.Contains("only collection of 1 document", refused.Message);
        Assert.True(await host.Documents.DeleteCollectionAsync(RagTestHost.Admin, general));
    }
}
