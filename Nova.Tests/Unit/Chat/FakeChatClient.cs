using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace Nova.Tests.Unit.Chat;

/// <summary>
/// An in-process model the test drives: each streaming call becomes a <see cref="FakeStream"/> whose
/// tokens, usage, faults and end the test sends, and which records whether the call was cancelled.
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    private readonly Channel<FakeStream> _calls = Channel.CreateUnbounded<FakeStream>();
    private int _streamingCalls;

    public int StreamingCalls => Volatile.Read(ref _streamingCalls);

    /// <summary>Runs when the model is called, before it answers anything.</summary>
    public Func<Task>? OnCall { get; set; }

    /// <summary>What the model answers when asked to name a chat.</summary>
    public string TitleReply { get; set; } = "A fitting title";

    public ConcurrentQueue<IReadOnlyList<ChatMessage>> TitlePrompts { get; } = new();

    public async Task<FakeStream> NextCallAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public bool HasPendingCall => _calls.Reader.Count > 0;

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        TitlePrompts.Enqueue([.. messages]);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, TitleReply)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _streamingCalls);
        var stream = new FakeStream([.. messages], options, cancellationToken);
        if (OnCall is { } onCall)
        {
            await onCall();
        }
        _calls.Writer.TryWrite(stream);
        await foreach (var item in stream.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

internal sealed class FakeStream
{
    private readonly Channel<object> _items = Channel.CreateUnbounded<object>();
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeStream(IReadOnlyList<ChatMessage> prompt, ChatOptions? options, CancellationToken cancellationToken)
    {
        Prompt = prompt;
        Options = options;
        cancellationToken.Register(() => _cancelled.TrySetResult());
    }

    public IReadOnlyList<ChatMessage> Prompt { get; }

    public ChatOptions? Options { get; }

    /// <summary>Completes when the caller cancelled the request.</summary>
    public Task Cancelled => _cancelled.Task;

    public FakeStream Send(params string[] tokens)
    {
        foreach (var token in tokens)
        {
            _items.Writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, token));
        }
        return this;
    }

    public FakeStream Usage(long input, long output)
    {
        _items.Writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output })]));
        return this;
    }

    public void Fail(Exception exception) => _items.Writer.TryWrite(exception);

    public void Complete() => _items.Writer.TryComplete();

    public async IAsyncEnumerable<ChatResponseUpdate> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _items.Reader.ReadAllAsync(cancellationToken))
        {
            if (item is Exception exception)
            {
                throw exception;
            }
            yield return (ChatResponseUpdate)item;
        }
    }
}
