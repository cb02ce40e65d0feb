namespace Nova.Services.Chat;

/// <summary>
/// Serialises turn operations per conversation inside this process, so that a double submission waits
/// for the first and then finds it by its idempotency key. Across replicas the unique index on the key
/// decides. Locks are striped by conversation id so memory stays constant.
/// </summary>
internal sealed class TurnGate
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IDisposable> EnterAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(conversationId.GetHashCode() & int.MaxValue) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
