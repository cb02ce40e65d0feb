using Nova.Fakes;
using Nova.Services.Rag.Retrieval;
using Nova.Services.Rag.VectorStores;
using Qdrant.Client;

namespace Nova.Tests.Unit.Rag;

/// <summary>What every <see cref="ISearchIndex"/> must do, by words and by meaning; run against each implementation.</summary>
public abstract class SearchIndexContract : IAsyncLifetime
{
    protected const int Dimensions = 8;
    private static readonly Guid Public = Guid.NewGuid();
    private static readonly Guid Hr = Guid.NewGuid();

    protected ISearchIndex Index { get; private set; } = null!;

    protected abstract Task<ISearchIndex> CreateIndexAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Index = await CreateIndexAsync();
        await Index.EnsureReadyAsync(Dimensions);
    }

    public Task DisposeAsync() => CleanupAsync();

    [ContractFact]
    public async Task ARarePartNumberTheEmbeddingMissesIsFoundByItsWords()
    {
        var gasket = Chunk("Replace the gasket PX-4471-K before the first frost.", Axis(5));
        var similar = Enumerable.Range(0, 6).Select(i => Chunk($"General boiler maintenance, step {i + 1}.", Mix(0, 1, i))).ToList();
        await AddAsync(Public, [gasket, .. similar]);

        var hybrid = await Index.SearchAsync("PX-4471-K", Axis(0), [Public], 3);
        var words = await Index.SearchAsync("PX-4471-K", null, [Public], 3);

        var found = Assert.Single(hybrid, h => h.ChunkId == gasket.ChunkId);
        Assert.NotNull(found.Lexical);
        Assert.Null(found.Dense);
        Assert.Equal(gasket.ChunkId, words[0].ChunkId);
        Assert.All(words, h => Assert.Null(h.Dense));
    }

    [ContractFact]
    public async Task APassageSharingNoWordWithTheQuestionIsFoundByMeaning()
    {
        var vacation = Chunk("Employees receive twenty-eight paid days off each year.", Axis(3));
        var other = Chunk("The printer toner sits in the supply cabinet.", Axis(6));
        await AddAsync(Public, [vacation, other]);

        var hybrid = await Index.SearchAsync("holiday allowance", Axis(3), [Public], 5);
        var meaning = await Index.SearchAsync(null, Axis(3), [Public], 5);

        Assert.Equal(vacation.ChunkId, hybrid[0].ChunkId);
        Assert.Null(hybrid[0].Lexical);
        Assert.Equal(1f, hybrid[0].Dense!.Value, 0.001f);
        Assert.Equal(vacation.ChunkId, meaning[0].ChunkId);
        Assert.All(meaning, h => Assert.Null(h.Lexical));
    }

    [ContractFact]
    public async Task APassageFoundByBothWordsAndMeaningRanksFirst()
    {
        var both = Chunk("Impeller blocked: clear the impeller intake.", Axis(2));
        var meaningOnly = Chunk("The pump stops when debris jams the rotor.", Mix(2, 4));
        var wordsOnly = Chunk("Order a spare impeller from service; the catalogue lists every pump part and accessory.", Axis(7));
        await AddAsync(Public, [wordsOnly, meaningOnly, both]);

        var hits = await Index.SearchAsync("impeller", Axis(2), [Public], 10);

        Assert.Equal(both.ChunkId, hits[0].ChunkId);
        Assert.NotNull(hits[0].Dense);
        Assert.NotNull(hits[0].Lexical);
        Assert.True(hits[0].Fused > hits[1].Fused);
        Assert.Contains(hits, h => h.ChunkId == meaningOnly.ChunkId);
        Assert.Contains(hits, h => h.ChunkId == wordsOnly.ChunkId);
    }

    [ContractFact]
    public async Task AChunkOfACollectionTheCallerCannotReadNeverComesBack()
    {
        var secret = Chunk("Salary bands SB-9 for every grade.", Axis(1));
        var open = Chunk("Salary reviews happen in spring; SB-9 is explained by HR.", Mix(1, 2));
        await AddAsync(Hr, [secret]);
        await AddAsync(Public, [open]);

        var hybrid = await Index.SearchAsync("salary bands SB-9", Axis(1), [Public], 10);
        var words = await Index.SearchAsync("salary bands SB-9", null, [Public], 10);
        var meaning = await Index.SearchAsync(null, Axis(1), [Public], 10);
        var nothing = await Index.SearchAsync("salary bands SB-9", Axis(1), [Guid.NewGuid()], 10);

        Assert.Equal([open.ChunkId], hybrid.Select(h => h.ChunkId));
        Assert.Equal([open.ChunkId], words.Select(h => h.ChunkId));
        Assert.Equal([open.ChunkId], meaning.Select(h => h.ChunkId));
        Assert.Empty(nothing);
        Assert.Equal(secret.ChunkId, (await Index.SearchAsync("salary bands SB-9", Axis(1), [Hr], 10))[0].ChunkId);
    }

    [ContractFact]
    public async Task DeletingADocumentRemovesItFromBothSearches()
    {
        var doomed = Chunk("Warranty code WX-311 covers the compressor.", Axis(4));
        var kept = Chunk("Warranty terms for the fan.", Axis(6));
        await AddAsync(Public, [doomed]);
        await AddAsync(Public, [kept]);

        await Index.DeleteDocumentAsync(doomed.DocumentId);

        Assert.Empty(await Index.SearchAsync("WX-311", null, [Public], 10));
        Assert.DoesNotContain(await Index.SearchAsync(null, Axis(4), [Public], 10), h => h.ChunkId == doomed.ChunkId);
        Assert.Equal([kept.ChunkId], (await Index.SearchAsync("warranty", Axis(6), [Public], 10)).Select(h => h.ChunkId));
    }

    [ContractFact]
    public async Task MovingADocumentToAnotherCollectionMovesItInBothSearches()
    {
        var moved = Chunk("Badge reader BR-72 at the north gate.", Axis(0));
        await AddAsync(Public, [moved]);

        await Index.SetDocumentCollectionsAsync(moved.DocumentId, [Hr]);

        Assert.Empty(await Index.SearchAsync("BR-72", null, [Public], 10));
        Assert.Empty(await Index.SearchAsync(null, Axis(0), [Public], 10));
        Assert.Equal(moved.ChunkId, (await Index.SearchAsync("BR-72", null, [Hr], 10))[0].ChunkId);
        Assert.Equal(moved.ChunkId, (await Index.SearchAsync(null, Axis(0), [Hr], 10))[0].ChunkId);
    }

    [ContractFact]
    public async Task ResetEmptiesBothSearchesAndAcceptsTheNewSize()
    {
        await AddAsync(Public, [Chunk("Fire drill FD-1 every March.", Axis(0))]);

        await Index.ResetAsync(Dimensions * 2);
        await Index.EnsureReadyAsync(Dimensions * 2);

        Assert.Empty(await Index.SearchAsync("FD-1", new float[Dimensions * 2].Select((_, i) => i == 0 ? 1f : 0f).ToArray(), [Public], 5));
    }

    [ContractFact]
    public async Task ADifferentEmbeddingSizeIsRefusedWithAClearMessage()
    {
        await AddAsync(Public, [Chunk("Anything at all.", Axis(0))]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Index.EnsureReadyAsync(Dimensions + 1));

        Assert.Contains("re-index", error.Message);
    }

    private Task AddAsync(Guid collection, IReadOnlyList<SearchChunk> chunks) =>
        Task.WhenAll(chunks.GroupBy(c => c.DocumentId).Select(d => Index.AddAsync(d.ToList(), [collection])));

    private static SearchChunk Chunk(string text, float[] vector) => new(Guid.NewGuid(), Guid.NewGuid(), text, vector);

    protected static float[] Axis(int i)
    {
        var v = new float[Dimensions];
        v[i] = 1;
        return v;
    }

    private static float[] Mix(int i, int j, int salt = 0)
    {
        var v = new float[Dimensions];
        v[i] += 0.8f;
        v[j] += 0.6f;
        v[(i + j + salt) % Dimensions] += 0.05f * salt;
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}

public sealed class EmbeddedSearchIndexContractTests : SearchIndexContract
{
    private RagTestDatabase? _database;

    protected override async Task<ISearchIndex> CreateIndexAsync()
    {
        _database = await RagTestDatabase.CreateAsync();
        return new EmbeddedSearchIndex(new EmbeddedVectorStore(_database.Contexts), new Bm25Index(_database.Contexts));
    }

    protected override async Task CleanupAsync() => await _database!.DisposeAsync();
}

public sealed class FakeQdrantSearchIndexContractTests : SearchIndexContract
{
    private FakeQdrantServer? _server;

    protected override async Task<ISearchIndex> CreateIndexAsync()
    {
        _server = await FakeQdrantServer.StartAsync();
        return QdrantSearchIndexes.Create(_server.CreateClient(), "nova_chunks");
    }

    protected override async Task CleanupAsync() => await _server!.DisposeAsync();
}

[RequiresEnvironment("NOVA_TEST_QDRANT_URL")]
public sealed class RealQdrantSearchIndexContractTests : SearchIndexContract
{
    private readonly string _collection = $"nova_test_{Guid.NewGuid():N}";
    private QdrantClient? _client;

    protected override Task<ISearchIndex> CreateIndexAsync()
    {
        _client = new QdrantClient(new Uri(Environment.GetEnvironmentVariable("NOVA_TEST_QDRANT_URL")!));
        return Task.FromResult(QdrantSearchIndexes.Create(_client, _collection));
    }

    protected override async Task CleanupAsync()
    {
        if (_client is not null)
        {
            await _client.DeleteCollectionAsync(_collection);
            _client.Dispose();
        }
    }
}

internal static class QdrantSearchIndexes
{
    public static ISearchIndex Create(QdrantClient client, string collection) =>
        new QdrantSearchIndex(client, collection, Microsoft.Extensions.Logging.Abstractions.NullLogger<QdrantSearchIndex>.Instance);
}
