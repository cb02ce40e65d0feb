namespace Nova.Bench.Circuits;

/// <summary>One circuit's answer: the question it asked, when each token reached it, and what the answer cost the circuit.</summary>
public sealed record AnsweredCircuit(string Question, IReadOnlyList<TokenArrival> Arrivals, long BytesReceived, int AnswerBatches, TimeSpan AnswerSpan);

/// <summary>
/// N people chatting at once on headless circuits: every circuit is opened on /chat first (a few at a
/// time, as people arrive), then each asks its own question, the questions spread over
/// <c>spread</c>, and every answer is awaited.
/// </summary>
public static class ChatLoad
{
    private const int OpeningAtOnce = 8;

    public static async Task<List<ChatCircuit>> OpenAsync(SignedInUser user, int count, TimeSpan timeout)
    {
        var circuits = new ChatCircuit?[count];
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = OpeningAtOnce },
                async (i, _) => circuits[i] = await ChatCircuit.OpenAsync(user, timeout));
            return [.. circuits.Select(c => c!)];
        }
        catch
        {
            await CloseAsync(circuits.OfType<ChatCircuit>());
            throw;
        }
    }

    public static async Task<List<AnsweredCircuit>> AskAsync(IReadOnlyList<ChatCircuit> circuits, Func<int, string> question, int lastToken,
        TimeSpan spread, TimeSpan timeout)
    {
        var answers = circuits.Select(async (circuit, i) =>
        {
            await Task.Delay(spread * i / circuits.Count);
            var bytesBefore = circuit.Circuit.BytesReceived;
            await circuit.AskAsync(question(i));
            await circuit.WaitForAnswerAsync(lastToken, timeout);
            var (batches, _, span) = circuit.AnswerBatches;
            return new AnsweredCircuit(question(i), circuit.Arrivals, circuit.Circuit.BytesReceived - bytesBefore, batches, span);
        });
        return [.. await Task.WhenAll(answers)];
    }

    public static async Task CloseAsync(IEnumerable<ChatCircuit> circuits) =>
        await Task.WhenAll(circuits.Select(async c => await c.DisposeAsync()));
}
