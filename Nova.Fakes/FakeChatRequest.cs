using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Nova.Fakes;

/// <summary>A chat request as a fake model server received it, and what became of it.</summary>
public sealed class FakeChatRequest
{
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<long> _tokenSentAt = new();
    private int _tokensSent;

    internal FakeChatRequest(JsonElement body, string? authorization)
    {
        Body = body;
        Authorization = authorization;
        Model = body.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() ?? "" : "";
        Messages = ReadMessages(body);
    }

    public JsonElement Body { get; }

    public string Model { get; }

    /// <summary>The Authorization header as sent, so tests can check keys reach the server.</summary>
    public string? Authorization { get; }

    /// <summary>Role and text of each message; multi-part contents are joined.</summary>
    public IReadOnlyList<(string Role, string Text)> Messages { get; }

    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user").Text ?? "";

    public int TokensSent => Volatile.Read(ref _tokensSent);

    /// <summary>
    /// When each token was flushed to the client, as <see cref="Stopwatch"/> timestamps, in order: the
    /// benchmarks measure how long a token takes from here to the user's screen.
    /// </summary>
    public IReadOnlyList<long> TokenSentAt => [.. _tokenSentAt];

    /// <summary>Completes when the client went away before the server finished answering.</summary>
    public Task Cancelled => _cancelled.Task;

    internal void CountToken()
    {
        _tokenSentAt.Enqueue(Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _tokensSent);
    }

    internal void MarkCancelled() => _cancelled.TrySetResult();

    private static List<(string, string)> ReadMessages(JsonElement body)
    {
        var messages = new List<(string, string)>();
        if (!body.TryGetProperty("messages", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return messages;
        }
        foreach (var message in array.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) ? r.GetString() ?? "" : "";
            var text = message.TryGetProperty("content", out var content) ? TextOf(content) : "";
            messages.Add((role, text));
        }
        return messages;
    }

    private static string TextOf(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? "",
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(part => part.TryGetProperty("text", out _))
            .Select(part => part.GetProperty("text").GetString())),
        _ => "",
    };
}
