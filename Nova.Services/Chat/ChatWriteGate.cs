namespace Nova.Services.Chat;

/// <summary>
/// Takes the chat's frequent database writes (storing a turn, a new chat, and each generation's periodic
/// flushes and final write) one at a time on SQLite, which has a single writer anyway. A writer waits its turn here without holding a thread;
/// left to SQLite, each waiting writer sits in Microsoft.Data.Sqlite's busy loop, which puts a thread-pool
/// thread to sleep between retries, and a hundred streaming answers (or questions sent together) starve the circuits of threads (their
/// renders then lag by seconds while the CPU idles). PostgreSQL writes rows concurrently: no gate there.
/// </summary>
internal sealed class ChatWriteGate(bool oneAtATime)
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for this writer's turn; dispose the result to pass it on.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (!oneAtATime)
        {
            return Turn.None;
        }
        await _turn.WaitAsync(cancellationToken);
        return new Turn(_turn);
    }

    private sealed class Turn(SemaphoreSlim? turn) : IDisposable
    {
        public static readonly Turn None = new(null);

        private SemaphoreSlim? _turn = turn;

        public void Dispose() => Interlocked.Exchange(ref _turn, null)?.Release();
    }
}
