using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.App.Components.Pages.Admin.Documents;

/// <summary>
/// What a batch of progress updates does to the page of documents on screen: rows it changes in place,
/// documents that just finished (their counts must be fetched), and whether the page itself changed
/// (a row deleted, or a document not on it that may belong there). Progress of documents a reload already
/// showed are not on this page (<c>offPage</c>) is ignored.
/// </summary>
internal sealed record PageUpdate(IReadOnlyList<DocumentInfo> Items, IReadOnlyList<Guid> Finished, IReadOnlyList<Guid> Unknown, bool Reload)
{
    public static PageUpdate Of(IReadOnlyList<DocumentInfo> page, IReadOnlyCollection<DocumentProgress> updates, IReadOnlySet<Guid> offPage)
    {
        var items = page.ToList();
        var finished = new List<Guid>();
        var unknown = new List<Guid>();
        var reload = false;
        foreach (var update in updates)
        {
            var index = items.FindIndex(d => d.Id == update.DocumentId);
            if (update.Deleted)
            {
                reload |= index >= 0;
            }
            else if (index < 0)
            {
                if (!offPage.Contains(update.DocumentId))
                {
                    unknown.Add(update.DocumentId);
                    reload = true;
                }
            }
            else
            {
                items[index] = items[index] with { Status = update.Status, Progress = update.Progress, FailureReason = update.FailureReason };
                if (update.Status is DocumentStatus.Ready or DocumentStatus.Failed)
                {
                    finished.Add(update.DocumentId);
                }
            }
        }
        return new PageUpdate(items, finished, unknown, reload);
    }
}
