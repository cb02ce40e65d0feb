using Nova.Services.Rag.VectorStores;

namespace Nova.Tests.Unit.Rag;

/// <summary>What every <see cref="IVectorStore"/> must do; run against each implementation.</summary>
public abstract class VectorStoreContract : IAsyncLifetime
{
    private const int Dimensions = 8;
    private static readonly Guid Public = Guid.NewGuid();
    private static readonly Guid Hr = Guid.NewGuid();

    protected IVectorStore Store { get; private set; } = null!;

    protected abstract Task<IVectorStore> CreateStoreAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.EnsureReadyAsync(Dimensions);
    }

    public Task DisposeAsync() => CleanupAsync();

    [ContractFact]
    public async Task SearchReturnsTheNearestChunksBestFirst()
    {
        var document = Guid.NewGuid();
        var a = Record(document, [Public], Axis(0));
        var b = Record(document, [Public], Mix(0, 1));
        var c = Record(document, [Public], Axis(3));
        await Store.UpsertAsync([a, b, c]);

        var hits = await Store.SearchAsync(Axis(0), [Public], 2);

        Assert.Equal([a.ChunkId, b.ChunkId], hits.Select(h => h.ChunkId));
        Assert.Equal(1f, hits[0].Score, 0.001f);
        Assert.Equal(document, hits[0].DocumentId);
        Assert.True(hits[1].Score < hits[0].Score);
    }

    [ContractFact]
    public async Task SearchNeverReturnsChunksOfOtherCollections()
    {
        var open = Record(Guid.NewGuid(), [Public], Mix(0, 2));
        var secret = Record(Guid.NewGuid(), [Hr], Axis(0));
        var both = Record(Guid.NewGuid(), [Hr, Public], Mix(0, 3));
        await Store.UpsertAsync([open, secret, both]);

        var publicHits = await Store.SearchAsync(Axis(0), [Public], 10);
        var hrHits = await Store.SearchAsync(Axis(0), [Hr], 10);
        var noneHits = await Store.SearchAsync(Axis(0), [Guid.NewGuid()], 10);

        Assert.Equal(new[] { open.ChunkId, both.ChunkId }.Order(), publicHits.Select(h => h.ChunkId).Order());
        Assert.Equal(secret.ChunkId, hrHits[0].ChunkId);
        Assert.Equal(2, hrHits.Count);
        Assert.Empty(noneHits);
    }

    [ContractFact]
    public async Task DeletingADocumentRemovesAllItsChunksAndNothingElse()
    {
        var doomed = Guid.NewGuid();
        var kept = Record(Guid.NewGuid(), [Public], Axis(1));
        await Store.UpsertAsync([Record(doomed, [Public], Axis(0)), Record(doomed, [Public], Mix(0, 1)), kept]);

        await Store.DeleteDocumentAsync(doomed);

        var hits = await Store.SearchAsync(Axis(0), [Public], 10);
        Assert.Equal([kept.ChunkId], hits.Select(h => h.ChunkId));
    }

    [ContractFact]
    public async Task MovingADocumentToAnotherCollectionChangesWhoFindsIt()
    {
        var document = Guid.NewGuid();
        var chunk = Record(document, [Public], Axis(2));
        await Store.UpsertAsync([chunk]);

        await Store.SetDocumentCollectionsAsync(document, [Hr]);

        Assert.Empty(await Store.SearchAsync(Axis(2), [Public], 5));
        Assert.Equal([chunk.ChunkId], (await Store.SearchAsync(Axis(2), [Hr], 5)).Select(h => h.ChunkId));
    }

    [ContractFact]
    public async Task UpsertingAChunkAgainReplacesIt()
    {
        var chunk = Record(Guid.NewGuid(), [Public], Axis(0));
        await Store.UpsertAsync([chunk]);
        await Store.UpsertAsync([chunk with { Vector = Axis(5) }]);

        var hits = await Store.SearchAsync(Axis(5), [Public], 10);

        Assert.Single(hits);
        Assert.Equal(1f, hits[0].Score, 0.001f);
    }

    [ContractFact]
    public async Task ManyChunksAreUpsertedInBatchesAndAllFound()
    {
        var document = Guid.NewGuid();
        var records = Enumerable.Range(0, 600).Select(i => Record(document, [Public], Mix(i % Dimensions, (i + 1) % Dimensions, i))).ToList();
        await Store.UpsertAsync(records);

        var hits = await Store.SearchAsync(Axis(0), [Public], 50);

        Assert.Equal(50, hits.Count);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [ContractFact]
    public async Task ResetEmptiesTheStoreAndAcceptsTheNewSize()
    {
        await Store.UpsertAsync([Record(Guid.NewGuid(), [Public], Axis(0))]);

        await Store.ResetAsync(Dimensions * 2);
        await Store.EnsureReadyAsync(Dimensions * 2);

        Assert.Empty(await Store.SearchAsync(new float[Dimensions * 2].Select((_, i) => i == 0 ? 1f : 0f).ToArray(), [Public], 5));
    }

    [ContractFact]
    public async Task ADifferentEmbeddingSizeIsRefusedWithAClearMessage()
    {
        await Store.UpsertAsync([Record(Guid.NewGuid(), [Public], Axis(0))]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.EnsureReadyAsync(Dimensions + 1));

        Assert.Contains("re-index", error.Message);
    }

    private static VectorRecord Record(Guid document, Guid[] collections, float[] vector) =>
        new(Guid.NewGuid(), document, collections, vector);

    private static float[] Axis(int i)
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
        v[(i + j + salt) % Dimensions] += 0.01f * (salt % 7);
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}

public sealed class EmbeddedVectorStoreContractTests : VectorStoreContract
{
    private RagTestDatabase? _database;

    protected override async Task<IVectorStore> CreateStoreAsync()
    {
        _database = await RagTestDatabase.CreateAsync();
        return new EmbeddedVectorStore(_database.Contexts);
    }

    protected override async Task CleanupAsync() => await _database!.DisposeAsync();
}
