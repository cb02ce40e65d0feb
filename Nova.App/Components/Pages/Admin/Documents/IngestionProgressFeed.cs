using Nova.Services.Rag.Ingestion;

namespace Nova.App.Components.Pages.Admin.Documents;

/// <summary>
/// Ingestion progress for one component, coalesced: the latest update per document is kept and handed
/// over at most once per interval, through the component's InvokeAsync, so a burst of progress
/// events costs one render. Dispose to unsubscribe.
/// </summary>
internal sealed class IngestionProgressFeed : IDisposable
{
    private readonly IngestionEvents _events;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly Func<IReadOnlyCollection<DocumentProgress>, Task> _apply;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Dictionary<Guid, DocumentProgress> _pending = [];
    private bool _scheduled;
    private bool _disposed;

    public IngestionProgressFeed(IngestionEvents events, TimeProvider time, TimeSpan interval,
        Func<Func<Task>, Task> dispatch, Func<IReadOnlyCollection<DocumentProgress>, Task> apply)
    {
        _events = events;
        _time = time;
        _interval = interval;
        _dispatch = dispatch;
        _apply = apply;
        _events.Changed += OnChanged;
    }

    private void OnChanged(DocumentProgress progress)
    {
        lock (_pending)
        {
            _pending[progress.DocumentId] = progress;
            if (_scheduled || _disposed)
            {
                return;
            }
            _scheduled = true;
        }
        _ = FlushLaterAsync();
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(_interval, _time);
        DocumentProgress[] batch;
        lock (_pending)
        {
            batch = [.. _pending.Values];
            _pending.Clear();
            _scheduled = false;
            if (_disposed)
            {
                return;
            }
        }
        try
        {
            await _dispatch(() => _apply(batch));
        }
        catch (ObjectDisposedException)
        {
            // The circuit closed between the event and the render: nobody is watching.
        }
    }

    public void Dispose()
    {
        _events.Changed -= OnChanged;
        lock (_pending)
        {
            _disposed = true;
        }
    }
}
