using System.Text;
using Nova.Fakes;
using Nova.Services.Rag.Retrieval;

namespace Nova.Tests.Unit.Rag;

/// <summary>Two replicas on one database and one (fake) Qdrant: what one indexes the other finds at once, by words and by meaning.</summary>
public sealed class SharedRetrievalTests
{
    private const string PartNumber = "QX-58213-B";

    [Fact]
    public async Task AReplicaFindsADocumentIndexedThroughAnotherAtOnce()
    {
        await using var qdrant = await FakeQdrantServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Nova:VectorStore:Provider"] = "Qdrant",
            ["Nova:VectorStore:Qdrant:Url"] = qdrant.Url.ToString(),
            ["Nova:Rag:IngestionPollSeconds"] = "1",
        };
        await using var indexing = await RagTestHost.StartAsync(settings);
        await using var searching = await RagTestHost.StartAsync(settings, indexing.Database);
        var library = await indexing.CollectionAsync("Manuals");
        // The searching replica has answered before, so whatever it keeps in memory was made before the upload;
        // its ingestion worker is stopped, so the document is indexed by the other replica only.
        Assert.Empty(await searching.Retrieval.SearchAsync(PartNumber, RagTestHost.Admin, mode: RetrievalMode.Lexical));
        await searching.StopIngestionAsync();

        var document = await indexing.IngestAsync(Encoding.UTF8.GetBytes(
            $"# Spare parts\n\nThe drive belt {PartNumber} fits the conveyor of the packing line and is replaced every spring."), "parts.md", library);

        Assert.True(document.Status == Nova.Services.Rag.Model.DocumentStatus.Ready, document.FailureReason);
        var lexical = await searching.Retrieval.SearchAsync(PartNumber, RagTestHost.Admin, mode: RetrievalMode.Lexical);
        var hybrid = await searching.Retrieval.SearchAsync($"which drive belt is {PartNumber}", RagTestHost.Admin);
        Assert.Equal(document.Id, Assert.Single(lexical).DocumentId);
        Assert.Equal(document.Id, hybrid[0].DocumentId);
        Assert.NotNull(hybrid[0].LexicalScore);
        Assert.NotNull(hybrid[0].DenseScore);

        await indexing.Documents.DeleteAsync(RagTestHost.Admin, document.Id);

        Assert.Empty(await searching.Retrieval.SearchAsync(PartNumber, RagTestHost.Admin, mode: RetrievalMode.Lexical));
    }
}
