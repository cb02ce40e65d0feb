namespace Nova.Services.Chat;

/// <summary>
/// A live view of one answer. Read <see cref="Current"/> when rendering; the callback given to
/// <see cref="GenerationRegistry.SubscribeAsync"/> only says "something changed" (coalesced).
/// An answer being written by another replica is followed through the database, at the pace that replica
/// flushes it. Disposing it stops the notifications and never affects the generation.
/// </summary>
public sealed class GenerationSubscription : IDisposable
{
    private readonly Generation? _generation;
    private readonly Action? _onChanged;
    private readonly CancellationTokenSource? _following;
    private volatile GenerationState? _stored;

    internal GenerationSubscription(Generation generation, Action onChanged)
    {
        _generation = generation;
        _onChanged = onChanged;
        MessageId = generation.MessageId;
    }

    internal GenerationSubscription(GenerationState stored)
    {
        _stored = stored;
        MessageId = stored.MessageId;
    }

    /// <summary>Follows an answer another replica is writing by reading it again every <paramref name="interval"/> until it ends.</summary>
    internal GenerationSubscription(
        GenerationState stored, Func<CancellationToken, Task<GenerationState?>> reload, Action onChanged, TimeSpan interval, TimeProvider time)
        : this(stored)
    {
        _following = new CancellationTokenSource();
        _ = FollowAsync(reload, onChanged, interval, time, _following.Token);
    }

    public Guid MessageId { get; }

    /// <summary>False when the answer was read from the database and is finished: no notification will come.</summary>
    public bool IsLive => _generation is not null || _following is not null;

    public GenerationState Current => _generation?.State() ?? _stored!;

    /// <summary>Whether the answer has ended; once true, <see cref="ReadAppended"/> returns the rest of its text.</summary>
    public bool IsFinal => _generation?.IsFinal ?? _stored!.IsFinal;

    /// <summary>
    /// The text added since <paramref name="position"/> (characters already read), which it moves to the end:
    /// what a reader passing tokens on needs, without copying the whole answer on every change.
    /// </summary>
    public string ReadAppended(ref int position)
    {
        if (_generation is not null)
        {
            return _generation.ReadAppended(ref position);
        }
        var text = _stored!.Text;
        var appended = position < text.Length ? text[position..] : "";
        position = text.Length;
        return appended;
    }

    /// <summary>
    /// The text added since <paramref name="position"/>, which it moves to the end, with the status and sources
    /// of the same moment: what a renderer that keeps the text itself reads on each notification.
    /// </summary>
    public GenerationProgress ReadProgress(ref int position)
    {
        if (_generation is not null)
        {
            return _generation.ReadProgress(ref position);
        }
        var stored = _stored!;
        return new GenerationProgress(ReadAppended(ref position), stored.Text.Length, stored.Status, stored.IsSearching, stored.Sources);
    }

    public void Dispose()
    {
        if (_generation is not null && _onChanged is not null)
        {
            _generation.Unsubscribe(_onChanged);
        }
        _following?.Cancel();
    }

    private async Task FollowAsync(
        Func<CancellationToken, Task<GenerationState?>> reload, Action onChanged, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (!_stored!.IsFinal)
            {
                await Task.Delay(interval, time, cancellationToken);
                if (await reload(cancellationToken) is not { } current)
                {
                    return;
                }
                if (current.Text != _stored.Text || current.Status != _stored.Status)
                {
                    _stored = current;
                    onChanged();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: nobody is watching any more.
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            // The database is away; the watcher keeps the last state and the page can be reloaded.
        }
    }
}
