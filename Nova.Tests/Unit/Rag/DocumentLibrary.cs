using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Rag;

/// <summary>Collections and documents set up through Nova's own services, as an admin does, in any host with AddNovaRag.</summary>
public sealed class DocumentLibrary(IServiceProvider services)
{
    public DocumentService Documents => services.GetRequiredService<DocumentService>();

    private IDbContextFactory<NovaDbContext> Contexts => services.GetRequiredService<IDbContextFactory<NovaDbContext>>();

    /// <summary>A collection; a visibility other than Everyone names a role, which is created if missing.</summary>
    public async Task<Guid> CollectionAsync(string name, string visibility = Collection.Everyone)
    {
        if (visibility != Collection.Everyone)
        {
            await using var db = await Contexts.CreateDbContextAsync();
            if (!await db.Roles.AnyAsync(r => r.Name == visibility))
            {
                db.Roles.Add(new IdentityRole(visibility) { NormalizedName = visibility.ToUpperInvariant() });
                await db.SaveChangesAsync();
            }
        }
        return (await Documents.CreateCollectionAsync(RagTestHost.Admin, name, visibility)).Id;
    }

    /// <summary>Uploads and waits, through the progress events, until the document is Ready or Failed.</summary>
    public async Task<DocumentInfo> IngestAsync(byte[] content, string name, params Guid[] collections)
    {
        var done = WatchForEnd();
        var info = await Documents.UploadAsync(RagTestHost.Admin, new MemoryStream(content), name, collections);
        return await WaitAsync(info.Id, done);
    }

    public Func<Guid, Task> WatchForEnd()
    {
        var finished = new ConcurrentDictionary<Guid, TaskCompletionSource>();
        TaskCompletionSource For(Guid id) => finished.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        services.GetRequiredService<IngestionEvents>().Changed += p =>
        {
            if (p.Status is DocumentStatus.Ready or DocumentStatus.Failed)
            {
                For(p.DocumentId).TrySetResult();
            }
        };
        return id => For(id).Task.WaitAsync(TimeSpan.FromSeconds(120));
    }

    public async Task<DocumentInfo> WaitAsync(Guid id, Func<Guid, Task> done)
    {
        var current = await Documents.GetAsync(RagTestHost.Admin, id);
        if (current?.Status is not (DocumentStatus.Ready or DocumentStatus.Failed))
        {
            await done(id);
        }
        return (await Documents.GetAsync(RagTestHost.Admin, id))!;
    }

    public async Task<List<Chunk>> ChunksAsync(Guid documentId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Set<Chunk>().Where(c => c.DocumentId == documentId).OrderBy(c => c.Ordinal).ToListAsync();
    }
}
