using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Llm;

namespace Nova.Services.Chat;

/// <summary>The new title of a chat, for drawers open on the owner's other circuits.</summary>
public sealed record ConversationTitleChanged(string OwnerId, Guid ConversationId, string Title);

/// <summary>
/// Owns every running generation of this process. Each runs on a background task of its own, not tied
/// to any circuit or request: closing the tab leaves it running and its answer lands in the database.
/// Circuits watch a generation through <see cref="SubscribeAsync"/>; the registry also enforces the
/// per-user limit on concurrent generations and one running answer per conversation. Each stored answer names
/// the replica writing it; another replica ends it as Interrupted only once that replica's lease has expired.
/// </summary>
public sealed class GenerationRegistry : IOrphanedWork, IAsyncDisposable, IDisposable
{
    private const string OrphanedReason = "This answer stopped being written; the text up to then is kept.";
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly IDbContextFactory<NovaDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<NovaChatOptions> _options;
    private readonly ILogger<GenerationRegistry> _logger;
    private readonly GenerationRunner _runner;
    private readonly ReplicaLeases _leases;
    private readonly IOptionsMonitor<ReplicaOptions> _replicaOptions;
    private readonly SharedGenerationCount? _shared;
    private readonly ConcurrentDictionary<Guid, (Generation Generation, Task Run)> _running = new();
    private readonly Lock _slotsLock = new();
    private readonly Dictionary<string, int> _perUser = [];
    private readonly HashSet<Guid> _busyConversations = [];
    private readonly HashSet<Guid> _ownedMessages = [];
    private readonly CancellationTokenSource _shutdown = new();
    private bool _disposed;

    public GenerationRegistry(
        IDbContextFactory<NovaDbContext> contexts,
        IModelRouter router,
        ChatGrounding grounding,
        TimeProvider time,
        IOptionsMonitor<NovaChatOptions> options,
        ReplicaLeases leases,
        IOptionsMonitor<ReplicaOptions> replicaOptions,
        ILogger<GenerationRegistry> logger,
        SharedGenerationCount? shared = null)
    {
        _shared = shared;
        _contexts = contexts;
        _leases = leases;
        _replicaOptions = replicaOptions;
        _time = time;
        _options = options;
        _logger = logger;
        using var probe = contexts.CreateDbContext();
        Writes = new ChatWriteGate(probe.Database.IsSqlite());
        _runner = new GenerationRunner(contexts, router, grounding, time, options, Writes, logger);
    }

    /// <summary>The turn every frequent chat write waits for on SQLite; the generations' flushes take it too.</summary>
    internal ChatWriteGate Writes { get; }

    /// <summary>Raised on a background thread when the model named a chat. Handlers must be quick and unsubscribe when done.</summary>
    public event Action<ConversationTitleChanged>? TitleChanged
    {
        add => _runner.TitleChanged += value;
        remove => _runner.TitleChanged -= value;
    }

    internal TurnGate Gate { get; } = new();

    /// <summary>This replica, recorded on every answer it writes.</summary>
    internal Guid ReplicaId => _leases.Self;

    /// <summary>Generations running in this process.</summary>
    public int RunningCount => _running.Count;

    /// <summary>
    /// Watches one answer. Live while it is written here; otherwise (finished, unknown to this process)
    /// the stored message with no notifications. <paramref name="onChanged"/> is called on a background
    /// thread, at most once per <c>Nova:Chat:RenderInterval</c> except for the first text and the final
    /// state, which come at once; read <see cref="GenerationSubscription.Current"/> when rendering.
    /// </summary>
    /// <exception cref="ChatNotFoundException">The message does not exist or is not the user's.</exception>
    public Task<GenerationSubscription> SubscribeAsync(
        Guid messageId, string ownerId, Action onChanged, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(messageId, ownerId, onChanged, coalesced: true, cancellationToken);

    /// <summary>
    /// As <see cref="SubscribeAsync"/>, but <paramref name="onChanged"/> is
    /// called on every change, each piece of text included: for readers that pass every token on at once (the REST
    /// API's streams), not for renderers. Read the new text with <see cref="GenerationSubscription.ReadAppended"/>.
    /// </summary>
    /// <exception cref="ChatNotFoundException">The message does not exist or is not the user's.</exception>
    public Task<GenerationSubscription> SubscribeToEveryChangeAsync(
        Guid messageId, string ownerId, Action onChanged, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(messageId, ownerId, onChanged, coalesced: false, cancellationToken);

    /// <summary>
    /// Cancels the upstream request and waits until what arrived is stored with status Stopped.
    /// Stopping an answer that already ended does nothing.
    /// </summary>
    /// <exception cref="ChatNotFoundException">The message does not exist or is not the user's.</exception>
    public async Task StopAsync(Guid messageId, string ownerId, CancellationToken cancellationToken = default)
    {
        if (_running.TryGetValue(messageId, out var running))
        {
            if (running.Generation.Request.OwnerId != ownerId)
            {
                throw new ChatNotFoundException();
            }
            running.Generation.RequestStop();
            await running.Generation.Finished.WaitAsync(cancellationToken);
            return;
        }
        _ = await LoadStoredAsync(messageId, ownerId, cancellationToken) ?? throw new ChatNotFoundException();
    }

    /// <summary>
    /// Answers left Streaming by a replica that is gone (crashed, killed, or restarted: a restart is a new replica)
    /// become Interrupted, keeping their last flushed text. One conditional update, so of several replicas doing
    /// this at once each answer is ended by exactly one. Runs at start and after every heartbeat. Returns how many.
    /// </summary>
    public async Task<int> RecoverInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var self = _leases.Self;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var live = _leases.Live(db);
        var recovered = await db.Set<ChatMessage>()
            .Where(m => m.Status == MessageStatus.Streaming && m.ReplicaId != self
                && (m.ReplicaId == null || !live.Contains(m.ReplicaId.Value)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MessageStatus.Interrupted)
                .SetProperty(m => m.Error, "The Nova server writing this answer stopped; the text up to then is kept."),
                cancellationToken);
        if (recovered > 0)
        {
            _logger.LogWarning("Marked {Count} answers left streaming by a stopped replica as interrupted", recovered);
        }
        return recovered;
    }

    Task<int> IOrphanedWork.TakeOverAsync(CancellationToken cancellationToken) => RecoverInterruptedAsync(cancellationToken);

    /// <summary>The live state of an answer written here, or null.</summary>
    internal GenerationState? TryGetState(Guid messageId) =>
        _running.TryGetValue(messageId, out var running) ? running.Generation.State() : null;

    /// <summary>
    /// Whether some process still owns the generation of this answer: it is being stored, written, or its
    /// end stored (retried until the database takes it). The one place that answers it, so that leases shared
    /// by replicas can answer it later; today only this process's generations count.
    /// </summary>
    internal bool IsAlive(Guid messageId)
    {
        lock (_slotsLock)
        {
            return _ownedMessages.Contains(messageId);
        }
    }

    /// <summary>
    /// How a stored answer is shown: live while its generation runs here; marked Streaming while no process owns
    /// its generation any more (a crash, or a final write that never landed) as Interrupted with the text it kept,
    /// so no page waits on it or offers to stop it; otherwise as stored.
    /// </summary>
    internal async Task<GenerationState> ShownStateAsync(ChatMessage stored, CancellationToken cancellationToken)
    {
        if (TryGetState(stored.Id) is { } live)
        {
            return live;
        }
        if (stored.Status != MessageStatus.Streaming || IsAlive(stored.Id)
            || (stored.ReplicaId != _leases.Self && await _leases.IsLiveAsync(stored.ReplicaId, cancellationToken)))
        {
            return ChatMapping.ToState(stored);
        }
        // Its generation may have ended (and stored its end) after the message was read: read it once more.
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var current = await db.Set<ChatMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == stored.Id, cancellationToken) ?? stored;
        return current.Status == MessageStatus.Streaming
            ? ChatMapping.ToState(current) with { Status = MessageStatus.Interrupted, Error = OrphanedReason }
            : ChatMapping.ToState(current);
    }

    /// <summary>
    /// Takes a place for a new generation before its turn is stored; refuses with a readable reason. The user's limit
    /// counts their answers on every replica when Redis is configured (<see cref="SharedGenerationCount"/>).
    /// </summary>
    internal async Task<GenerationSlot> ReserveAsync(string ownerId, Guid conversationId, Guid messageId, CancellationToken cancellationToken)
    {
        var limit = _options.CurrentValue.MaxConcurrentGenerationsPerUser;
        var slot = Reserve(ownerId, conversationId, messageId, limit);
        try
        {
            if (_shared is not null && await _shared.TryHoldAsync(ownerId, messageId, limit, cancellationToken) is { } held)
            {
                throw TooMany(held);
            }
        }
        catch
        {
            slot.Dispose();
            throw;
        }
        return slot;
    }

    private GenerationSlot Reserve(string ownerId, Guid conversationId, Guid messageId, int limit)
    {
        lock (_slotsLock)
        {
            if (_disposed)
            {
                throw new ChatUnavailableException();
            }
            if (_busyConversations.Contains(conversationId))
            {
                throw new ChatConflictException("This chat is still writing an answer. Wait for it or stop it, then try again.");
            }
            var count = _perUser.GetValueOrDefault(ownerId);
            if (count >= limit)
            {
                throw TooMany(count);
            }
            _perUser[ownerId] = count + 1;
            _busyConversations.Add(conversationId);
            _ownedMessages.Add(messageId);
        }
        return new GenerationSlot(this, ownerId, conversationId, messageId);
    }

    private static ChatLimitException TooMany(int count) => new(
        $"You already have {count} answers being written, the most allowed at once. Wait for one to finish or stop it, then try again.");

    internal void Release(GenerationSlot slot)
    {
        _shared?.Release(slot.OwnerId, slot.MessageId);
        lock (_slotsLock)
        {
            _busyConversations.Remove(slot.ConversationId);
            _ownedMessages.Remove(slot.MessageId);
            if (_perUser.GetValueOrDefault(slot.OwnerId) <= 1)
            {
                _perUser.Remove(slot.OwnerId);
            }
            else
            {
                _perUser[slot.OwnerId]--;
            }
        }
    }

    /// <summary>Starts the generation of a stored turn on a background task; the slot is released when it ends.</summary>
    internal void Start(GenerationSlot slot, GenerationRequest request)
    {
        var generation = new Generation(request, _time, _options.CurrentValue.RenderInterval, _shutdown.Token, _logger);
        var started = new TaskCompletionSource();
        Task run;
        void Answered()
        {
            if (_running.TryRemove(request.MessageId, out _))
            {
                slot.Dispose();
            }
        }
        // The generation must not inherit the caller's circuit or request context.
        using (ExecutionContext.SuppressFlow())
        {
            run = Task.Run(async () =>
            {
                await started.Task;
                try
                {
                    await _runner.RunAsync(generation, Answered, _shutdown.Token);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Generation {MessageId} ended unexpectedly", request.MessageId);
                }
                finally
                {
                    Answered();
                    generation.Dispose();
                }
            });
        }
        _running[request.MessageId] = (generation, run);
        started.SetResult();
    }

    /// <summary>Stops every answer being written in a conversation (before it is deleted) and waits for them.</summary>
    internal async Task StopConversationAsync(Guid conversationId)
    {
        var stopping = _running.Values.Where(r => r.Generation.Request.ConversationId == conversationId).ToList();
        foreach (var (generation, _) in stopping)
        {
            generation.RequestStop();
        }
        await Task.WhenAll(stopping.Select(r => r.Generation.Finished));
    }

    /// <summary>
    /// Drains: refuses new generations and lets the running ones finish for up to <c>Nova:Replicas:DrainTimeout</c>;
    /// then stops the rest and waits (up to ten seconds) until they are stored as Interrupted with what arrived.
    /// Runs when the host stops, while the database is still there.
    /// </summary>
    public async Task ShutdownAsync()
    {
        lock (_slotsLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        await DrainAsync();
        await _shutdown.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Values.Select(r => r.Run)).WaitAsync(ShutdownGrace, _time);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} generations did not end within {Grace} of shutdown", _running.Count, ShutdownGrace);
        }
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync();

    private async Task DrainAsync()
    {
        var drain = _replicaOptions.CurrentValue.DrainTimeout;
        var running = _running.Values.Select(r => r.Run).ToList();
        if (running.Count == 0 || drain <= TimeSpan.Zero)
        {
            return;
        }
        _logger.LogInformation("Stopping: waiting up to {Drain} for {Count} answers being written to finish", drain, running.Count);
        try
        {
            await Task.WhenAll(running).WaitAsync(drain, _time);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} answers were still being written after {Drain}; they are kept as interrupted", _running.Count, drain);
        }
    }

    /// <summary>For containers disposed synchronously, which would otherwise refuse an async-only singleton.</summary>
    public void Dispose() => ShutdownAsync().GetAwaiter().GetResult();

    private async Task<GenerationSubscription> SubscribeCoreAsync(
        Guid messageId, string ownerId, Action onChanged, bool coalesced, CancellationToken cancellationToken)
    {
        if (TrySubscribe(messageId, ownerId, onChanged, coalesced) is { } live)
        {
            return live;
        }
        var stored = await LoadStoredAsync(messageId, ownerId, cancellationToken) ?? throw new ChatNotFoundException();
        if (stored.IsFinal)
        {
            return new GenerationSubscription(stored);
        }
        // The turn is stored just before its generation starts: look again rather than miss the start.
        if (TrySubscribe(messageId, ownerId, onChanged, coalesced) is { } started)
        {
            return started;
        }
        // Shown as streaming but not written here: another live replica is writing it.
        return new GenerationSubscription(stored, token => LoadStoredAsync(messageId, ownerId, token), onChanged,
            _options.CurrentValue.FlushInterval, _time);
    }

    private GenerationSubscription? TrySubscribe(Guid messageId, string ownerId, Action onChanged, bool coalesced)
    {
        if (!_running.TryGetValue(messageId, out var running))
        {
            return null;
        }
        return running.Generation.Request.OwnerId == ownerId ? running.Generation.Subscribe(onChanged, coalesced) : throw new ChatNotFoundException();
    }

    /// <summary>The stored state with its stored sources, as a live answer's state carries them.</summary>
    private async Task<GenerationState?> LoadStoredAsync(Guid messageId, string ownerId, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var message = await db.Set<ChatMessage>().AsNoTracking()
            .Where(m => m.Id == messageId && m.Conversation!.OwnerId == ownerId)
            .SingleOrDefaultAsync(cancellationToken);
        if (message is null)
        {
            return null;
        }
        var sources = await db.Set<MessageSource>().AsNoTracking().Where(s => s.MessageId == messageId).OrderBy(s => s.Number)
            .ToListAsync(cancellationToken);
        return await ShownStateAsync(message, cancellationToken) with { Sources = [.. sources.Select(s => ChatMapping.ToView(s, documentRemoved: false))] };
    }
}
