namespace Nova.Bench.Relay;

/// <summary>What a set of streams of the same answer looked like to their clients.</summary>
public sealed class RelayFigures
{
    private RelayFigures(List<double[]> arrivals)
    {
        Arrivals = arrivals;
        Ttft = [.. arrivals.Select(a => a[0])];
        Gaps = [.. arrivals.SelectMany(a => a.Skip(1).Select((t, i) => t - a[i]))];
        TokensPerSecond = [.. arrivals.Select(a => (a.Length - 1) / ((a[^1] - a[0]) / 1000))];
        var tokens = arrivals[0].Length;
        MedianOffsets = [.. Enumerable.Range(0, tokens).Select(i => Statistics.Median([.. arrivals.Select(a => a[i] - a[0])]))];
    }

    /// <summary>Per stream, milliseconds from the request to each token.</summary>
    public List<double[]> Arrivals { get; }

    public double[] Ttft { get; }

    /// <summary>Milliseconds between consecutive tokens, over every stream.</summary>
    public double[] Gaps { get; }

    public double[] TokensPerSecond { get; }

    /// <summary>Per token, the median over streams of its time after the stream's first token.</summary>
    public double[] MedianOffsets { get; }

    public static RelayFigures Of(IEnumerable<StreamTrace> traces, IReadOnlyList<int> tokenEnds) =>
        new([.. traces.Select(t => t.TokenArrivalsMs(tokenEnds))]);

    /// <summary>How much later than in <paramref name="baseline"/> each token came, counted from its stream's first token.</summary>
    public double[] AddedTokenDelays(RelayFigures baseline) =>
        [.. Arrivals.SelectMany(a => a.Select((t, i) => t - a[0] - baseline.MedianOffsets[i]))];
}
