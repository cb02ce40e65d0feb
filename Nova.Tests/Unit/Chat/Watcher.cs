using Nova.Services.Chat;

namespace Nova.Tests.Unit.Chat;

/// <summary>A subscriber that counts its notifications and can wait for a state.</summary>
internal sealed class Watcher : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);
    private int _count;
    private GenerationSubscription? _subscription;

    public int Count => Volatile.Read(ref _count);

    public GenerationSubscription Subscription => _subscription!;

    public GenerationState Current => Subscription.Current;

    /// <summary>Subscribes as a circuit does (coalesced), or to every change as the REST API's streams do.</summary>
    public static async Task<Watcher> StartAsync(GenerationRegistry registry, Guid messageId, string ownerId, bool everyChange = false)
    {
        var watcher = new Watcher();
        watcher._subscription = everyChange
            ? await registry.SubscribeToEveryChangeAsync(messageId, ownerId, watcher.OnChanged)
            : await registry.SubscribeAsync(messageId, ownerId, watcher.OnChanged);
        return watcher;
    }

    public async Task<GenerationState> UntilAsync(Func<GenerationState, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var state = Current;
            if (condition(state))
            {
                return state;
            }
            await _signal.WaitAsync(timeout.Token);
        }
    }

    public Task<GenerationState> FinalAsync() => UntilAsync(s => s.IsFinal);

    /// <summary>Waits for the n-th notification itself, not for a state that a later read might show anyway.</summary>
    public async Task CountAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Count < count)
        {
            await _signal.WaitAsync(timeout.Token);
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private void OnChanged()
    {
        Interlocked.Increment(ref _count);
        _signal.Release();
    }
}
