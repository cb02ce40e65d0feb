using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nova.Services.Chat.Data;
using Nova.Services.Llm;

namespace Nova.Services.Chat;

/// <summary>
/// One answer being written: its growing text, its status, and the subscribers to tell. Tokens are
/// appended to a <see cref="StringBuilder"/>; a string is made only when someone reads the state, and
/// shared by every reader of the same version. Coalesced subscribers are told at most once per render
/// interval, except that the first text and the final state are told at once; eager ones on every change.
/// </summary>
internal sealed class Generation : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _renderInterval;
    private readonly ITimer _renderTimer;
    private readonly ILogger _logger;
    private readonly long _startedAt;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action[] _subscribers = [];
    private Action[] _eagerSubscribers = [];
    private int _version;
    private string _snapshotText = "";
    private int _snapshotVersion;
    private MessageStatus _status = MessageStatus.Streaming;
    private string? _error;
    private long? _firstTokenAt;
    private long? _endedAt;
    private int _chunks;
    private UsageDetails? _usage;
    private bool _usageEstimated;
    private string? _model;
    private string? _endpoint;
    private bool _searching;
    private IReadOnlyList<SourceView> _sources = [];
    private long _lastNotifiedAt;
    private bool _notifyPending;

    public Generation(GenerationRequest request, TimeProvider time, TimeSpan renderInterval, CancellationToken shutdown, ILogger logger)
    {
        Request = request;
        _time = time;
        _renderInterval = renderInterval;
        _logger = logger;
        _startedAt = time.GetTimestamp();
        Cancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        _renderTimer = time.CreateTimer(_ => NotifyFromTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public GenerationRequest Request { get; }

    public Guid MessageId => Request.MessageId;

    public CancellationTokenSource Cancellation { get; }

    /// <summary>Set when the user asked to stop, so a cancellation ends as Stopped rather than Interrupted.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Completes once the final state is stored and told.</summary>
    public Task Finished => _finished.Task;

    public void RequestStop()
    {
        StopRequested = true;
        try
        {
            Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended between being looked up and being stopped: nothing left to stop.
        }
    }

    public void SetModel(string model, string endpoint)
    {
        lock (_lock)
        {
            _model = model;
            _endpoint = endpoint;
        }
    }

    /// <summary>The documents are being searched; readers see it until the sources are set.</summary>
    public void BeginSearch()
    {
        lock (_lock)
        {
            _searching = true;
        }
        Changed(immediately: true);
    }

    /// <summary>The sources the answer may cite, known before the model is asked.</summary>
    public void SetSources(IReadOnlyList<SourceView> sources)
    {
        lock (_lock)
        {
            _searching = false;
            _sources = sources;
        }
        Changed(immediately: true);
    }

    public void Append(string text)
    {
        // PostgreSQL text cannot hold NUL, and no reader needs one.
        if (text.Contains('\0'))
        {
            text = text.Replace("\0", "");
        }
        if (text.Length == 0)
        {
            return;
        }
        bool first;
        lock (_lock)
        {
            first = _text.Length == 0;
            _firstTokenAt ??= _time.GetTimestamp();
            _text.Append(text);
            _chunks++;
            _version++;
        }
        Changed(immediately: first);
    }

    public void RecordUsage(UsageDetails usage)
    {
        lock (_lock)
        {
            _usage = usage;
        }
    }

    /// <summary>Counts the tokens the backend did not report (<see cref="UsageEstimate"/>), once the model has answered.</summary>
    public void CountMissingUsage(IEnumerable<Microsoft.Extensions.AI.ChatMessage> prompt)
    {
        lock (_lock)
        {
            (_usage, _usageEstimated) = UsageEstimate.Complete(_usage, prompt, SnapshotText());
        }
    }

    /// <summary>The text and its version, for flushing only when something changed.</summary>
    public (string Text, int Version) Text()
    {
        lock (_lock)
        {
            return (SnapshotText(), _version);
        }
    }

    /// <summary>The text appended since <paramref name="position"/> (a length read before), which it moves to the end.</summary>
    public string ReadAppended(ref int position)
    {
        lock (_lock)
        {
            return TakeAppended(ref position);
        }
    }

    /// <summary>Like <see cref="ReadAppended"/>, with the rest of the state read at the same moment.</summary>
    public GenerationProgress ReadProgress(ref int position)
    {
        lock (_lock)
        {
            return new GenerationProgress(TakeAppended(ref position), _text.Length, _status, _searching, _sources);
        }
    }

    /// <summary>True once <see cref="Complete"/> has published the final state; all text has been appended by then.</summary>
    public bool IsFinal
    {
        get
        {
            lock (_lock)
            {
                return _status != MessageStatus.Streaming;
            }
        }
    }

    public GenerationState State()
    {
        lock (_lock)
        {
            return new GenerationState(MessageId, SnapshotText(), _status, _error, Usage()) { IsSearching = _searching, Sources = _sources };
        }
    }

    /// <summary>The final state to store; readers keep seeing Streaming until <see cref="Complete"/> publishes it.</summary>
    public GenerationState Finish(MessageStatus status, string? error)
    {
        lock (_lock)
        {
            _endedAt = _time.GetTimestamp();
            _searching = false;
            return new GenerationState(MessageId, SnapshotText(), status, error, Usage()) { Sources = _sources };
        }
    }

    /// <summary>Publishes the stored final state and tells every subscriber at once.</summary>
    public void Complete(GenerationState final)
    {
        lock (_lock)
        {
            _status = final.Status;
            _error = final.Error;
        }
        Changed(immediately: true);
        _finished.TrySetResult();
    }

    /// <summary>A coalesced subscriber is told at most once per render interval; an eager one on every change.</summary>
    public GenerationSubscription Subscribe(Action onChanged, bool coalesced)
    {
        lock (_lock)
        {
            if (coalesced)
            {
                _subscribers = [.. _subscribers, onChanged];
            }
            else
            {
                _eagerSubscribers = [.. _eagerSubscribers, onChanged];
            }
        }
        return new GenerationSubscription(this, onChanged);
    }

    public void Unsubscribe(Action onChanged)
    {
        lock (_lock)
        {
            _subscribers = Without(_subscribers, onChanged);
            _eagerSubscribers = Without(_eagerSubscribers, onChanged);
        }
    }

    private static Action[] Without(Action[] subscribers, Action onChanged)
    {
        var index = Array.IndexOf(subscribers, onChanged);
        return index < 0 ? subscribers : [.. subscribers[..index], .. subscribers[(index + 1)..]];
    }

    public void Dispose()
    {
        _renderTimer.Dispose();
        Cancellation.Dispose();
    }

    private string TakeAppended(ref int position)
    {
        var appended = position < _text.Length ? _text.ToString(position, _text.Length - position) : "";
        position = _text.Length;
        return appended;
    }

    private string SnapshotText()
    {
        if (_snapshotVersion != _version)
        {
            _snapshotText = _text.ToString();
            _snapshotVersion = _version;
        }
        return _snapshotText;
    }

    private MessageUsage Usage()
    {
        int? ttft = _firstTokenAt is { } first ? (int)_time.GetElapsedTime(_startedAt, first).TotalMilliseconds : null;
        var completion = ToInt(_usage?.OutputTokenCount);
        double? tokensPerSecond = null;
        if (_firstTokenAt is { } start && _endedAt is { } end)
        {
            // Without a count from the backend, chunks stand in for tokens: servers stream about one per chunk.
            var seconds = _time.GetElapsedTime(start, end).TotalSeconds;
            var tokens = completion ?? _chunks;
            tokensPerSecond = seconds > 0 && tokens > 0 ? Math.Round(tokens / seconds, 2) : null;
        }
        return new MessageUsage(ToInt(_usage?.InputTokenCount), completion, ttft, tokensPerSecond, _model, _endpoint) { Estimated = _usageEstimated };
    }

    private static int? ToInt(long? value) => value is { } v ? (int)Math.Clamp(v, 0, int.MaxValue) : null;

    private void Changed(bool immediately)
    {
        Action[] eager;
        Action[] subscribers = [];
        TimeSpan? due = null;
        lock (_lock)
        {
            eager = _eagerSubscribers;
            if (immediately || !_notifyPending)
            {
                var since = _time.GetElapsedTime(_lastNotifiedAt);
                if (!immediately && since < _renderInterval)
                {
                    _notifyPending = true;
                    due = _renderInterval - since;
                }
                else
                {
                    _notifyPending = false;
                    _lastNotifiedAt = _time.GetTimestamp();
                    subscribers = _subscribers;
                }
            }
        }
        Notify(eager);
        // The timer is set outside the lock: timer implementations take locks of their own while firing.
        // A stale setting is harmless, since the timer only notifies while one is pending.
        if (due is { } wait)
        {
            _renderTimer.Change(wait, Timeout.InfiniteTimeSpan);
            return;
        }
        Notify(subscribers);
    }

    private void NotifyFromTimer()
    {
        Action[] subscribers;
        lock (_lock)
        {
            if (!_notifyPending)
            {
                return;
            }
            _notifyPending = false;
            _lastNotifiedAt = _time.GetTimestamp();
            subscribers = _subscribers;
        }
        Notify(subscribers);
    }

    private void Notify(Action[] subscribers)
    {
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber();
            }
            catch (Exception e)
            {
                // A broken subscriber (a circuit gone bad) must never hurt the generation or the others.
                _logger.LogWarning(e, "A subscriber of generation {MessageId} failed", MessageId);
            }
        }
    }
}
