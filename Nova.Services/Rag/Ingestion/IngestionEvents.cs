using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.Ingestion;

/// <summary>A document moved through the pipeline (or was deleted); for live progress bars.</summary>
public sealed record DocumentProgress(Guid DocumentId, DocumentStatus Status, double Progress, string? FailureReason, bool Deleted = false);

/// <summary>
/// Progress notifications for the admin UI. Handlers run on ingestion threads and must be quick
/// (marshal to the UI with InvokeAsync); a throwing handler does not disturb ingestion.
/// </summary>
public sealed class IngestionEvents
{
    public event Action<DocumentProgress>? Changed;

    internal void Publish(DocumentProgress progress)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<DocumentProgress>>() ?? [])
        {
            try
            {
                handler(progress);
            }
            catch (Exception)
            {
                // A subscriber's bug (a closed circuit) must not fail a document.
            }
        }
    }
}
