using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Components.Documents;

/// <summary>
/// bUnit with Nova's real document services (SQLite, MiniLM, the embedded store) from a <see cref="RagTestHost"/>,
/// so components are tested against what they will really call.
/// </summary>
public abstract class DocumentComponentTest : NovaComponentTest
{
    protected RagTestHost Rag { get; private set; } = default!;

    protected IngestionEvents Events => Rag.Services.GetRequiredService<IngestionEvents>();

    protected virtual IDictionary<string, string?>? RagSettings => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Rag = await RagTestHost.StartAsync(RagSettings);
        await SeedRolesAsync();
        Context.Services.AddLogging();
        Context.Services.AddSingleton(TimeProvider.System);
        Context.Services.AddSingleton(Rag.Documents);
        Context.Services.AddSingleton(Rag.Retrieval);
        Context.Services.AddSingleton(Events);
        Context.Services.AddSingleton(Rag.Services.GetRequiredService<IOptions<RagOptions>>());
    }

    /// <summary>Nova's roles, as the app seeds them at start: collections can be made visible to them.</summary>
    private async Task SeedRolesAsync()
    {
        await using var db = await Rag.Database.Contexts.CreateDbContextAsync();
        var existing = await db.Roles.Select(r => r.Name!).ToListAsync();
        db.Roles.AddRange(NovaRoles.All.Except(existing).Select(r => new IdentityRole(r) { NormalizedName = r.ToUpperInvariant() }));
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A document row as an upload leaves it, but held by this replica: the database is the ingestion queue, and a
    /// worker would otherwise claim it; so a test alone drives its progress.
    /// </summary>
    protected async Task<Guid> SeedDocumentAsync(string name, DocumentStatus status = DocumentStatus.Uploaded, string? reason = null)
    {
        var id = Guid.CreateVersion7();
        await using var db = await Rag.Database.Contexts.CreateDbContextAsync();
        db.Add(new Document
        {
            Id = id,
            DisplayName = name,
            UploadedBy = "admin-1",
            Status = status,
            FailureReason = reason,
            ContentType = "application/pdf",
            SizeBytes = 123_456,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            ReplicaId = Rag.Services.GetRequiredService<ReplicaIdentity>().Id,
        });
        await db.SaveChangesAsync();
        return id;
    }

    protected async Task SetStatusAsync(Guid id, DocumentStatus status, int chunks, int pages)
    {
        await using var db = await Rag.Database.Contexts.CreateDbContextAsync();
        await db.Set<Document>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status).SetProperty(d => d.ChunkCount, chunks).SetProperty(d => d.PageCount, pages)
            .SetProperty(d => d.Progress, 1));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Rag.DisposeAsync();
    }
}
