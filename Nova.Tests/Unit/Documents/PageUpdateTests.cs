using Nova.App.Components.Pages.Admin.Documents;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Documents;

public sealed class PageUpdateTests
{
    private static readonly DocumentInfo Quiet = Info("quiet.pdf", DocumentStatus.Ready);
    private static readonly DocumentInfo Busy = Info("busy.pdf", DocumentStatus.Parsing);

    [Fact]
    public void ProgressChangesItsRowAndLeavesTheOthersTheSameInstance()
    {
        var update = PageUpdate.Of([Quiet, Busy], [new DocumentProgress(Busy.Id, DocumentStatus.Embedding, 0.5, null)], new HashSet<Guid>());

        Assert.False(update.Reload);
        Assert.Same(Quiet, update.Items[0]);
        Assert.Equal((DocumentStatus.Embedding, 0.5), (update.Items[1].Status, update.Items[1].Progress));
        Assert.Empty(update.Finished);
    }

    [Fact]
    public void AFinishedDocumentIsListedToFetchItsCounts()
    {
        var update = PageUpdate.Of([Busy], [new DocumentProgress(Busy.Id, DocumentStatus.Failed, 0, "broken")], new HashSet<Guid>());

        Assert.Equal([Busy.Id], update.Finished);
        Assert.Equal("broken", update.Items[0].FailureReason);
    }

    [Fact]
    public void ARowDeletedOrADocumentNotOnThePageReloadsIt()
    {
        var stranger = Guid.NewGuid();

        var deleted = PageUpdate.Of([Quiet, Busy], [new DocumentProgress(Busy.Id, DocumentStatus.Failed, 0, null, Deleted: true)], new HashSet<Guid>());
        var arrived = PageUpdate.Of([Quiet], [new DocumentProgress(stranger, DocumentStatus.Parsing, 0.02, null)], new HashSet<Guid>());
        var known = PageUpdate.Of([Quiet], [new DocumentProgress(stranger, DocumentStatus.Parsing, 0.02, null)], new HashSet<Guid> { stranger });
        var goneElsewhere = PageUpdate.Of([Quiet], [new DocumentProgress(stranger, DocumentStatus.Failed, 0, null, Deleted: true)], new HashSet<Guid>());

        Assert.True(deleted.Reload);
        Assert.True(arrived.Reload);
        Assert.Equal([stranger], arrived.Unknown);
        Assert.False(known.Reload);
        Assert.False(goneElsewhere.Reload);
    }

    private static DocumentInfo Info(string name, DocumentStatus status) => new(Guid.NewGuid(), name, null, "application/pdf", 1, null, status,
        null, 0, null, 0, "admin-1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, []);
}
