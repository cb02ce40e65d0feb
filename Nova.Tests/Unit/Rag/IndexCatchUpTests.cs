using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Rag.Indexing;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;
using Nova.Services.Rag.VectorStores;
using Xunit.Abstractions;

namespace Nova.Tests.Unit.Rag;

/// <summary>
/// Two replicas with the embedded store on one PostgreSQL database: what changes through one reaches the other's
/// in-memory indexes (BM25 and vectors) through the index change feed within five seconds.
/// </summary>
public sealed class IndexCatchUpTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private const string Query = "zebrafish aquarium filter";

    [Fact]
    public async Task ADocumentIngestedThroughOneReplicaIsFoundThroughAnotherWithinFiveSeconds()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var a = await replicas.StartAsync();
        var b = await replicas.StartAsync();
        var collection = await new DocumentLibrary(a.Services).CollectionAsync("Aquarium");
        await LoadIndexesAsync(b, collection);

        var id = await IngestThroughAsync(replicas, a, collection);

        await FoundWithinBoundAsync(b, id, collection, RetrievalMode.Lexical);
        await FoundWithinBoundAsync(b, id, collection, RetrievalMode.Dense);
    }

    [Fact]
    public async Task ADocumentDeletedThroughOneReplicaLeavesBothIndexesOfAnotherWithinFiveSeconds()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var a = await replicas.StartAsync();
        var b = await replicas.StartAsync();
        var collection = await new DocumentLibrary(a.Services).CollectionAsync("Aquarium");
        var id = await IngestThroughAsync(replicas, a, collection);
        // The other replica's indexes load now, with the document in both.
        Assert.Contains(id, await IndexedDocumentsAsync(b, collection));

        var clock = Stopwatch.StartNew();
        await new DocumentLibrary(a.Services).Documents.DeleteAsync(RagTestHost.Admin, id);

        await WithinBoundAsync(async () => !(await IndexedDocumentsAsync(b, collection)).Contains(id), clock, "a deletion");
        Assert.Empty(await SearchAsync(b, collection, RetrievalMode.Lexical));
        Assert.Empty(await SearchAsync(b, collection, RetrievalMode.Dense));
    }

    [Fact]
    public async Task ACollectionChangeThroughOneReplicaIsHonouredByAnothersFilterWithinFiveSeconds()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var a = await replicas.StartAsync();
        var b = await replicas.StartAsync();
        var library = new DocumentLibrary(a.Services);
        var before = await library.CollectionAsync("Aquarium");
        var after = await library.CollectionAsync("Pond");
        var id = await IngestThroughAsync(replicas, a, before);
        Assert.Contains(id, await IndexedDocumentsAsync(b, before));

        var clock = Stopwatch.StartNew();
        await library.Documents.SetCollectionsAsync(RagTestHost.Admin, id, [after]);

        await WithinBoundAsync(async () => (await IndexedDocumentsAsync(b, after)).Contains(id), clock, "a collection change");
        Assert.Empty(await IndexedDocumentsAsync(b, before));
        Assert.Contains(await SearchAsync(b, after, RetrievalMode.Dense), h => h.DocumentId == id);
    }

    [Fact]
    public async Task AfterAReindexOfAllThroughOneReplicaAnotherHoldsOnlyTheNewChunks()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var a = await replicas.StartAsync();
        var b = await replicas.StartAsync();
        var library = new DocumentLibrary(a.Services);
        var collection = await library.CollectionAsync("Aquarium");
        var id = await IngestThroughAsync(replicas, a, collection);
        Assert.Contains(id, await IndexedDocumentsAsync(b, collection));

        await library.Documents.ReindexAllAsync(RagTestHost.Admin);
        await replicas.UntilAsync(db => db.Set<Document>().AsNoTracking().SingleAsync(d => d.Id == id), d => d.Status == DocumentStatus.Ready);
        var clock = Stopwatch.StartNew();
        var current = (await library.ChunksAsync(id)).Select(c => c.Id).ToHashSet();

        await WithinBoundAsync(async () => current.SetEquals(await IndexedChunksAsync(b, collection)), clock, "a re-index of all");
    }

    [Fact]
    public async Task AReplicaStartedAfterADocumentWasIngestedFindsItAtOnce()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var a = await replicas.StartAsync();
        var collection = await new DocumentLibrary(a.Services).CollectionAsync("Aquarium");
        var id = await IngestThroughAsync(replicas, a, collection);

        var late = await replicas.StartAsync();

        Assert.Contains(await SearchAsync(late, collection, RetrievalMode.Lexical), h => h.DocumentId == id);
        Assert.Contains(await SearchAsync(late, collection, RetrievalMode.Dense), h => h.DocumentId == id);
    }

    [Fact]
    public async Task AChangeCommittedAfterALaterNumberedOneIsStillRead()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var host = await replicas.AddAsync();
        var feed = host.Services.GetRequiredService<IndexChangeFeed>();
        var (early, late) = (Guid.NewGuid(), Guid.NewGuid());
        var start = await feed.HorizonAsync(CancellationToken.None);

        await using var slow = await replicas.Contexts.CreateDbContextAsync();
        await using var slowTransaction = await slow.Database.BeginTransactionAsync();
        feed.Record(slow, early);
        await slow.SaveChangesAsync();
        await using (var fast = await replicas.Contexts.CreateDbContextAsync())
        {
            await using var fastTransaction = await fast.Database.BeginTransactionAsync();
            feed.Record(fast, late);
            await fast.SaveChangesAsync();
            await fastTransaction.CommitAsync();
        }
        var first = await feed.ReadAsync(start, CancellationToken.None);
        await slowTransaction.CommitAsync();
        var second = await feed.ReadAsync(first.Horizon, CancellationToken.None);

        var lateRow = Assert.Single(first.Changes);
        Assert.Equal(late, lateRow.DocumentId);
        var earlyRow = Assert.Single(second.Changes, c => c.DocumentId == early);
        // The row read second has the smaller number: a reader resuming after the last number it saw would skip it.
        Assert.True(earlyRow.Sequence < lateRow.Sequence);
    }

    [Fact]
    public async Task FeedRowsOlderThanTheRetentionArePrunedAndNewerOnesKept()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var host = await replicas.AddAsync();
        var now = TimeProvider.System.GetUtcNow();
        await using (var db = await replicas.Contexts.CreateDbContextAsync())
        {
            db.AddRange(
                new IndexChange { DocumentId = Guid.NewGuid(), Kind = IndexChangeKind.Document, CreatedAt = now - TimeSpan.FromHours(1) },
                new IndexChange { DocumentId = Guid.NewGuid(), Kind = IndexChangeKind.Document, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        await ReplicaHosts.StartAsync(host);

        var left = await replicas.UntilAsync(db => db.Set<IndexChange>().AsNoTracking().ToListAsync(), rows => rows.Count < 2);
        Assert.Equal(now, Assert.Single(left).CreatedAt, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// A document filed in <paramref name="collection"/>, claimed by <paramref name="replica"/> and ingested by it alone
    /// (the other replica's workers only claim unowned documents).
    /// </summary>
    private static async Task<Guid> IngestThroughAsync(ReplicaHosts replicas, IHost replica, Guid collection)
    {
        var id = await replicas.InsertDocumentAsync(replica, Text, DocumentStatus.Uploaded, ReplicaHosts.IdOf(replica));
        await using (var db = await replicas.Contexts.CreateDbContextAsync())
        {
            db.Add(new DocumentCollection { DocumentId = id, CollectionId = collection });
            await db.SaveChangesAsync();
        }
        await replica.Services.GetRequiredService<DocumentIngestor>().ProcessAsync(id, CancellationToken.None);
        Assert.Equal(DocumentStatus.Ready, (await replicas.DocumentAsync(id)).Status);
        return id;
    }

    /// <summary>Both in-memory indexes load on first use: before the change, so that only the catch-up can bring it.</summary>
    private static async Task LoadIndexesAsync(IHost replica, Guid collection) =>
        Assert.Empty(await SearchAsync(replica, collection, RetrievalMode.Hybrid));

    private async Task FoundWithinBoundAsync(IHost replica, Guid id, Guid collection, RetrievalMode mode) =>
        await WithinBoundAsync(async () => (await SearchAsync(replica, collection, mode)).Any(h => h.DocumentId == id),
            Stopwatch.StartNew(), $"a {mode} search");

    private async Task WithinBoundAsync(Func<Task<bool>> caughtUp, Stopwatch clock, string what)
    {
        while (!await caughtUp())
        {
            Assert.True(clock.Elapsed < Bound, $"The other replica did not catch up with {what} within {Bound.TotalSeconds} s.");
            await Task.Delay(20);
        }
        output.WriteLine($"Caught up with {what} after {clock.Elapsed.TotalMilliseconds:N0} ms.");
    }

    private static Task<IReadOnlyList<RetrievalHit>> SearchAsync(IHost replica, Guid collection, RetrievalMode mode) =>
        replica.Services.GetRequiredService<RetrievalService>().SearchAsync(Query, RagTestHost.Admin, [collection], 10, mode);

    /// <summary>The documents either in-memory index of <paramref name="replica"/> holds in the collection, before any database check.</summary>
    private static async Task<HashSet<Guid>> IndexedDocumentsAsync(IHost replica, Guid collection) =>
        (await IndexedAsync(replica, collection)).Select(h => h.DocumentId).ToHashSet();

    /// <summary>The chunks either in-memory index of <paramref name="replica"/> holds in the collection.</summary>
    private static async Task<HashSet<Guid>> IndexedChunksAsync(IHost replica, Guid collection) =>
        (await IndexedAsync(replica, collection)).Select(h => h.ChunkId).ToHashSet();

    private static async Task<List<(Guid ChunkId, Guid DocumentId)>> IndexedAsync(IHost replica, Guid collection)
    {
        var lexical = await replica.Services.GetRequiredService<Bm25Index>().SearchAsync(Query, [collection], 100);
        var query = await replica.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateVectorAsync(Query);
        var dense = await replica.Services.GetRequiredService<IVectorStore>().SearchAsync(query, [collection], 100);
        return [.. lexical.Select(h => (h.ChunkId, h.DocumentId)), .. dense.Select(h => (h.ChunkId, h.DocumentId))];
    }

    private const string Text = "# Zebrafish aquarium\n\n## Filter\n\nThe zebrafish aquarium filter is rinsed every week in tank water, " +
                                "never under the tap, so that the bacteria living in the sponge survive.\n\n## Feeding\n\n" +
                                "Zebrafish are fed flakes twice a day, as much as they eat in two minutes.";
}
