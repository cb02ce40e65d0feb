using System.Diagnostics;
using Nova.Fakes;

namespace Nova.Bench.Circuits;

/// <summary>
/// How late tokens reached the page: for every token of every answer, the arrival of the first render
/// batch (or DOM change) that held it minus the moment the model backend flushed it, in milliseconds.
/// </summary>
public sealed class LagFigures
{
    private LagFigures(List<double> lags, List<double> firstTokenLags, List<double> backendRates)
    {
        Lags = lags;
        FirstTokenLags = firstTokenLags;
        BackendTokensPerSecond = backendRates;
    }

    public List<double> Lags { get; }

    /// <summary>The first token of each answer: it should be shown at once, not held for the render interval.</summary>
    public List<double> FirstTokenLags { get; }

    /// <summary>
    /// Per answer, the rate the backend actually sent at: the fake shares the bench's cores with the
    /// clients, and a starved fake sends slower than asked, which lightens Nova's load.
    /// </summary>
    public List<double> BackendTokensPerSecond { get; }

    public double P50 => Statistics.Median(Lags);

    public double P99 => Statistics.Percentile(Lags, 99);

    /// <summary>Pairs each answer with the backend request its question became; arrivals and sends are both Stopwatch timestamps.</summary>
    public static LagFigures Of(IEnumerable<(string Question, IReadOnlyList<TokenArrival> Arrivals)> answers, IReadOnlyList<FakeChatRequest> requests, int tokens)
    {
        var byQuestion = requests.GroupBy(r => r.LastUserMessage).ToDictionary(g => g.Key, g => g.Last());
        var lags = new List<double>();
        var first = new List<double>();
        var rates = new List<double>();
        foreach (var (question, arrivals) in answers)
        {
            var sent = byQuestion.GetValueOrDefault(question)?.TokenSentAt
                ?? throw new InvalidOperationException($"The backend never received '{question}'.");
            if (arrivals.Count != tokens || sent.Count != tokens)
            {
                throw new InvalidOperationException($"'{question}': {sent.Count} tokens sent, {arrivals.Count} seen, {tokens} expected.");
            }
            rates.Add((tokens - 1) / Stopwatch.GetElapsedTime(sent[0], sent[^1]).TotalSeconds);
            foreach (var arrival in arrivals)
            {
                var lag = Stopwatch.GetElapsedTime(sent[arrival.Token], arrival.ArrivedAt).TotalMilliseconds;
                lags.Add(lag);
                if (arrival.Token == 0)
                {
                    first.Add(lag);
                }
            }
        }
        return new LagFigures(lags, first, rates);
    }
}
