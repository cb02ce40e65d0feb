using System.Diagnostics;

namespace Nova.Bench.Relay;

/// <summary>
/// When each piece of one streamed answer arrived: <see cref="Arrivals"/>[i] is the timestamp
/// (<see cref="Stopwatch"/> ticks) at which the text reached <see cref="Lengths"/>[i] characters.
/// </summary>
public sealed record StreamTrace(long StartedAt, long[] Arrivals, int[] Lengths)
{
    public int Length => Lengths.Length == 0 ? 0 : Lengths[^1];

    /// <summary>
    /// Milliseconds from the request to the arrival of each token, given where each token ends in the
    /// text: a token has arrived once the text reached its end, whichever event carried it.
    /// </summary>
    public double[] TokenArrivalsMs(IReadOnlyList<int> tokenEnds)
    {
        var result = new double[tokenEnds.Count];
        var e = 0;
        for (var t = 0; t < tokenEnds.Count; t++)
        {
            while (e < Lengths.Length && Lengths[e] < tokenEnds[t])
            {
                e++;
            }
            if (e == Lengths.Length)
            {
                throw new InvalidOperationException($"The stream ended after {Length} characters, before token {t} (ending at {tokenEnds[t]}).");
            }
            result[t] = Stopwatch.GetElapsedTime(StartedAt, Arrivals[e]).TotalMilliseconds;
        }
        return result;
    }
}
