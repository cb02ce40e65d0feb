using System.Threading.Channels;
using Nova.Services.Chat;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// One answer watched for an API response. A stream is told of every change (no render interval) and reads
/// only the text added since its last read, so each token goes out as it arrives and no text is copied twice.
/// An answer not written by this process ends at once, as stored (which may not be final).
/// </summary>
internal sealed class GenerationWatch : IDisposable
{
    // Synchronous continuations: the writer waiting for the next token runs on the thread that appended it,
    // instead of being queued to the thread pool, once per token.
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        AllowSynchronousContinuations = true,
    });
    private GenerationSubscription _subscription = null!;
    private int _read;
    private bool _started;

    /// <summary>Watches the user's answer: every change when <paramref name="everyChange"/>, else at the render interval.</summary>
    /// <exception cref="ChatNotFoundException">The message does not exist or is not the user's.</exception>
    public static async Task<GenerationWatch> StartAsync(
        GenerationRegistry registry, string userId, Guid messageId, bool everyChange, CancellationToken cancellationToken)
    {
        var watch = new GenerationWatch();
        Action changed = () => watch._changed.Writer.TryWrite(true);
        watch._subscription = everyChange
            ? await registry.SubscribeToEveryChangeAsync(messageId, userId, changed, cancellationToken)
            : await registry.SubscribeAsync(messageId, userId, changed, cancellationToken);
        return watch;
    }

    /// <summary>The whole state: the sources, and once the answer has ended its status, error and usage.</summary>
    public GenerationState Current => _subscription.Current;

    /// <summary>
    /// The text added since the last call (at once the first time, then after the next change), and whether the
    /// answer has ended, in which case this was the rest of its text and there is no next call.
    /// </summary>
    public async ValueTask<(string Text, bool Ended)> NextAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            await _changed.Reader.ReadAsync(cancellationToken);
        }
        _started = true;
        // Read before the text: an answer is marked final only after its last token was appended.
        var ended = _subscription.IsFinal || !_subscription.IsLive;
        return (_subscription.ReadAppended(ref _read), ended);
    }

    public void Dispose() => _subscription?.Dispose();
}
