using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Rag;

/// <summary>Two replicas ingesting from one PostgreSQL database: each document is claimed, and ingested, by exactly one.</summary>
public sealed class IngestionClaimTests
{
    private static readonly ClaimsPrincipal Admin = RagTestHost.Admin;

    [Fact]
    public async Task TwentyQueuedDocumentsAreEachIngestedOnceByTwoReplicasStartingTogether()
    {
        // A lease well beyond a beat delayed by a busy machine: no claim is taken over here, so every document starts once.
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres,
            new Dictionary<string, string?> { ["Nova:Replicas:LeaseDuration"] = "00:00:30" });
        var a = await replicas.AddAsync();
        var b = await replicas.AddAsync();
        var documents = a.Services.GetRequiredService<DocumentService>();
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await documents.UploadAsync(Admin, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Text(i))), $"doc-{i}.md", [])).Id);
        }

        await Task.WhenAll(ReplicaHosts.StartAsync(a), ReplicaHosts.StartAsync(b));
        var stored = await replicas.UntilAsync(db => db.Set<Document>().AsNoTracking().ToListAsync(),
            all => all.All(d => d.Status is DocumentStatus.Ready or DocumentStatus.Failed));

        Assert.All(stored, d => Assert.Equal(DocumentStatus.Ready, d.Status));
        await using var check = await replicas.Contexts.CreateDbContextAsync();
        foreach (var document in stored)
        {
            var ordinals = await check.Set<Chunk>().Where(c => c.DocumentId == document.Id).Select(c => c.Ordinal).OrderBy(o => o).ToListAsync();
            Assert.True(document.ChunkCount > 1);
            Assert.Equal(Enumerable.Range(0, document.ChunkCount), ordinals);
        }
        var started = replicas.Progress.Where(p => p.Progress.Status == DocumentStatus.Parsing).Select(p => p.Progress.DocumentId).Order();
        var finished = replicas.Progress.Where(p => p.Progress.Status == DocumentStatus.Ready).Select(p => p.Progress.DocumentId).Order();
        Assert.Equal(ids.Order(), started);
        Assert.Equal(ids.Order(), finished);
    }

    [Fact]
    public async Task ADocumentLeftByAReplicaWhoseHeartbeatStoppedIsIngestedByAnother()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var survivor = await replicas.StartAsync();
        var dead = Guid.NewGuid();
        await using (var db = await replicas.Contexts.CreateDbContextAsync())
        {
            var now = TimeProvider.System.GetUtcNow();
            db.Add(new Replica { Id = dead, Name = "killed", StartedAt = now, HeartbeatAt = now });
            await db.SaveChangesAsync();
        }
        var id = await replicas.InsertDocumentAsync(survivor, Text(1), DocumentStatus.Embedding, dead);

        var taken = await replicas.UntilAsync(db => db.Set<Document>().AsNoTracking().SingleAsync(d => d.Id == id), d => d.Status == DocumentStatus.Ready);

        Assert.Equal(ReplicaHosts.IdOf(survivor), taken.ReplicaId);
        Assert.Equal(taken.ChunkCount, await replicas.UntilAsync(db => db.Set<Chunk>().CountAsync(c => c.DocumentId == id), _ => true));
    }

    [Fact]
    public async Task ADocumentClaimedByALiveReplicaIsLeftToItUntilItStops()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var owner = await replicas.StartAsync();
        var id = await replicas.InsertDocumentAsync(owner, Text(2), DocumentStatus.Embedding, ReplicaHosts.IdOf(owner));
        var other = await replicas.StartAsync();
        var otherId = ReplicaHosts.IdOf(other);

        // The other replica beats, and offers to take over orphaned work, for twice the lease.
        await replicas.UntilAsync(db => db.Set<Replica>().AsNoTracking().SingleAsync(r => r.Id == otherId),
            r => r.HeartbeatAt - r.StartedAt > 2 * ReplicaHosts.LeaseDuration);
        var meanwhile = await replicas.DocumentAsync(id);
        await replicas.StopAsync(owner);
        var taken = await replicas.UntilAsync(db => db.Set<Document>().AsNoTracking().SingleAsync(d => d.Id == id), d => d.Status == DocumentStatus.Ready);

        Assert.Equal((DocumentStatus.Embedding, ReplicaHosts.IdOf(owner)), (meanwhile.Status, meanwhile.ReplicaId));
        Assert.Equal(otherId, taken.ReplicaId);
    }

    [Fact]
    public async Task ADocumentUploadedThroughOneReplicaIsIngestedByAnotherOnAnotherMachine()
    {
        await using var replicas = await ReplicaHosts.CreateAsync(DatabaseProvider.Postgres);
        var uploader = await replicas.AddAsync(storagePath: "machine-a");
        var ingester = await replicas.StartAsync(storagePath: "machine-b");

        var id = (await uploader.Services.GetRequiredService<DocumentService>()
            .UploadAsync(Admin, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Text(3))), "shared.md", [])).Id;
        var ingested = await replicas.UntilAsync(db => db.Set<Document>().AsNoTracking().SingleAsync(d => d.Id == id),
            d => d.Status is DocumentStatus.Ready or DocumentStatus.Failed);

        Assert.Equal((DocumentStatus.Ready, null), (ingested.Status, ingested.FailureReason));
        Assert.Equal(ReplicaHosts.IdOf(ingester), ingested.ReplicaId);
    }

    private static string Text(int n) => $"# Report {n}\n\n" + string.Join("\n\n", Enumerable.Range(0, 12).Select(p =>
        $"## Part {p}\n\nPart {p} of report {n} describes the turbine number {n * 100 + p}, its blades, bearings, gearbox, " +
        $"lubrication schedule and the vibration measured at {p * 7 + n} hertz during the inspection of week {p + n}."));
}
