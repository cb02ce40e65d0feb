using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Rag.Retrieval;
using Qdrant.Client.Grpc;

namespace Nova.Tests.Unit.Rag;

/// <summary>What only the Qdrant search index has to handle: collections of older Nova versions, a fresh server, outages.</summary>
public sealed class QdrantSearchIndexTests : IAsyncLifetime
{
    private const string Name = "nova_chunks";
    private static readonly Guid Public = Guid.NewGuid();
    private FakeQdrantServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeQdrantServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AnOldSingleVectorCollectionWithChunksAsksForAReindexWhichRecreatesIt()
    {
        using var client = _server.CreateClient();
        await client.CreateCollectionAsync(Name, new VectorParams { Size = 4, Distance = Distance.Cosine });
        await client.UpsertAsync(Name, [new PointStruct { Id = Guid.NewGuid(), Vectors = new[] { 1f, 0, 0, 0 } }]);
        var index = QdrantSearchIndexes.Create(client, Name);

        var atIngestion = await Assert.ThrowsAsync<InvalidOperationException>(() => index.EnsureReadyAsync(4));
        var atSearch = await Assert.ThrowsAsync<InvalidOperationException>(() => index.SearchAsync("pump", new[] { 1f, 0, 0, 0 }, [Public], 5));
        await index.ResetAsync(4);
        await index.AddAsync([new SearchChunk(Guid.NewGuid(), Guid.NewGuid(), "pump PX-9", new[] { 1f, 0, 0, 0 })], [Public]);

        Assert.Contains("re-index", atIngestion.Message);
        Assert.Contains("older Nova", atSearch.Message);
        Assert.Single(await index.SearchAsync("PX-9", null, [Public], 5));
    }

    [Fact]
    public async Task AnEmptyOldSingleVectorCollectionIsRecreatedForHybridSearch()
    {
        using var client = _server.CreateClient();
        await client.CreateCollectionAsync(Name, new VectorParams { Size = 4, Distance = Distance.Cosine });
        var index = QdrantSearchIndexes.Create(client, Name);

        var beforeIngestion = await index.SearchAsync("PX-2000", new[] { 0f, 1, 0, 0 }, [Public], 5);
        await index.EnsureReadyAsync(4);
        var chunk = new SearchChunk(Guid.NewGuid(), Guid.NewGuid(), "valve PX-2000", new[] { 0f, 1, 0, 0 });
        await index.AddAsync([chunk], [Public]);

        Assert.Empty(beforeIngestion);
        Assert.Equal(chunk.ChunkId, (await index.SearchAsync("PX-2000", new[] { 0f, 1, 0, 0 }, [Public], 5))[0].ChunkId);
        Assert.Equal(Modifier.Idf, _server.State.Collections[Name].Sparse[QdrantSearchIndex.SparseVector].Modifier);
    }

    [Fact]
    public async Task AFreshQdrantWithoutACollectionFindsNothingAndDeletesNothing()
    {
        using var client = _server.CreateClient();
        var index = QdrantSearchIndexes.Create(client, Name);

        await index.DeleteDocumentAsync(Guid.NewGuid());
        await index.SetDocumentCollectionsAsync(Guid.NewGuid(), [Public]);

        Assert.Empty(await index.SearchAsync("anything", new[] { 1f, 0, 0, 0 }, [Public], 5));
    }

    [Fact]
    public async Task QdrantDownFailsASearchWithAClearMessage()
    {
        using var client = _server.CreateClient();
        var index = QdrantSearchIndexes.Create(client, Name);
        await index.EnsureReadyAsync(4);
        _server.State.Fault = StatusCode.Unavailable;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => index.SearchAsync("pump", new[] { 1f, 0, 0, 0 }, [Public], 5));

        Assert.Contains($"Qdrant (collection '{Name}') failed: Unavailable", error.Message);
    }

    [Fact]
    public async Task ASearchTheCallerGivesUpOnIsCancelledNotReportedAsQdrantFailing()
    {
        using var client = _server.CreateClient();
        var index = QdrantSearchIndexes.Create(client, Name);
        await index.EnsureReadyAsync(4);
        _server.State.Latency = TimeSpan.FromMinutes(5);
        using var stop = new CancellationTokenSource();

        var search = index.SearchAsync("pump", new[] { 1f, 0, 0, 0 }, [Public], 5, stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);
    }

    [Fact]
    public async Task WithQdrantConfiguredNoReplicaKeepsWordsInMemory()
    {
        await using var host = await RagTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Nova:VectorStore:Provider"] = "Qdrant",
            ["Nova:VectorStore:Qdrant:Url"] = _server.Url.ToString(),
        });

        Assert.Null(host.Services.GetService<Bm25Index>());
        Assert.IsType<QdrantSearchIndex>(host.Services.GetRequiredService<ISearchIndex>());
    }

    [Fact]
    public void TermIdsAreTheFnv1aHashOfTheWord()
    {
        Assert.Equal(0xe40c292cu, LexicalTerms.Hash("a"));
        Assert.Equal(0xbf9cf968u, LexicalTerms.Hash("foobar"));
        var (indices, _) = LexicalTerms.OfChunk("Part PX-200 and part px-200");
        Assert.Equal(indices.Length, indices.Distinct().Count());
        Assert.Contains(LexicalTerms.Hash("px-200"), indices);
    }
}
