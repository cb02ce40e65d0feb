using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Nova.Bench.Circuits;

/// <summary>When a token of the answer first reached the client: the batch that carried it (Stopwatch ticks).</summary>
public readonly record struct TokenArrival(int Token, long ArrivedAt);

/// <summary>
/// Someone in Nova's chat on a headless circuit: types a question into the composer, sends it, and notes
/// when each token of a <see cref="TaggedAnswer"/> first arrived in a render batch, with what the answer
/// cost the circuit in batches and bytes.
/// </summary>
public sealed class ChatCircuit : IAsyncDisposable
{
    private readonly BlazorCircuit _circuit;
    private readonly List<TokenArrival> _arrivals = [];
    private int _highest = -1;
    private long _firstAnswerBatchAt;
    private long _lastAnswerBatchAt;
    private int _answerBatches;
    private int _answerBatchBytes;

    private ChatCircuit(BlazorCircuit circuit)
    {
        _circuit = circuit;
        circuit.OnBatch = Observe;
    }

    public BlazorCircuit Circuit => _circuit;

    /// <summary>Arrivals in order; a batch that carried several new tokens counts for each of them.</summary>
    public IReadOnlyList<TokenArrival> Arrivals => _circuit.Query(_ => _arrivals.ToArray());

    /// <summary>Batches that carried answer text, their payload bytes, and the time from the first of them to the last.</summary>
    public (int Batches, int Bytes, TimeSpan Span) AnswerBatches => _circuit.Query(_ =>
        (_answerBatches, _answerBatchBytes, _answerBatches == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_firstAnswerBatchAt, _lastAnswerBatchAt)));

    public static async Task<ChatCircuit> OpenAsync(SignedInUser user, TimeSpan timeout) =>
        new(await BlazorCircuit.OpenAsync(user, "chat", dom => Composer(dom) is { } input && input.EventHandlers.ContainsKey("oninput"), timeout));

    /// <summary>Types <paramref name="question"/> as one input event (a paste) and submits the form, as the Send button does.</summary>
    public async Task AskAsync(string question)
    {
        var (input, form) = _circuit.Query(dom => (Composer(dom), dom.ByTestId("chat-form")));
        if (input is null || form is null)
        {
            throw new InvalidOperationException("The chat page has no composer.");
        }
        await _circuit.DispatchEventAsync(input, "input", new JsonObject { ["value"] = question }, fieldValue: question);
        await _circuit.DispatchEventAsync(form, "submit", []);
    }

    /// <summary>Waits until the answer's last token has arrived and the answer is no longer streaming.</summary>
    public Task WaitForAnswerAsync(int lastToken, TimeSpan timeout) =>
        // The page is walked only once the last token is in: hundreds of circuits share the client's cores.
        _circuit.WaitForAsync(dom => _highest >= lastToken && dom.Elements().Any(e => e.Attribute("data-testid") == "message-assistant"
            && e.Attribute("data-status") is { } status && status != "streaming"), timeout);

    public ValueTask DisposeAsync() => _circuit.DisposeAsync();

    private static DomElement? Composer(CircuitDom dom) => dom.ByTestId("chat-input");

    // Runs under the circuit's lock, in the order batches arrive.
    private void Observe(ReceivedBatch received)
    {
        var highest = TaggedAnswer.HighestToken(received.Batch.Strings);
        if (highest < 0)
        {
            return;
        }
        if (_answerBatches == 0)
        {
            _firstAnswerBatchAt = received.ArrivedAt;
        }
        _answerBatches++;
        _answerBatchBytes += received.Bytes;
        _lastAnswerBatchAt = received.ArrivedAt;
        for (var token = _highest + 1; token <= highest; token++)
        {
            _arrivals.Add(new TokenArrival(token, received.ArrivedAt));
        }
        _highest = Math.Max(_highest, highest);
    }
}
