namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// One lock per document, kept only while someone holds it or waits for it: a lock per document
/// ever seen would grow with every upload for the life of the process.
/// </summary>
internal sealed class DocumentLocks
{
    private readonly Dictionary<Guid, Entry> _entries = [];

    /// <summary>Documents whose lock is held or awaited now.</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    public async Task<IDisposable> AcquireAsync(Guid documentId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(documentId, out entry!))
            {
                _entries[documentId] = entry = new Entry();
            }
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(documentId, entry);
            throw;
        }
        return new Held(this, documentId, entry);
    }

    private void Leave(Guid documentId, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(documentId);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Held(DocumentLocks locks, Guid documentId, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Gate.Release();
                locks.Leave(documentId, entry);
            }
        }
    }
}
