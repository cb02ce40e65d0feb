using System.Diagnostics;
using System.Numerics;

namespace Nova.Bench.Rag;

/// <summary>
/// How fast this machine reads memory right now: a vectorized sum over a buffer of a given size, on
/// one core and on all, best of a few passes. A search that reads N bytes cannot beat N / this.
/// </summary>
public static class MemoryBandwidth
{
    /// <summary>Bytes per second reading <paramref name="bytes"/> with <paramref name="threads"/> threads.</summary>
    public static double Measure(long bytes, int threads, int passes = 5)
    {
        var buffer = new float[bytes / sizeof(float)];
        Array.Fill(buffer, 1f);
        var size = (buffer.Length + threads - 1) / threads;
        var best = double.MaxValue;
        var sink = 0f;
        for (var pass = 0; pass < passes; pass++)
        {
            var sums = new float[threads];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                sums[t] = Sum(buffer.AsSpan(t * size, Math.Min(size, buffer.Length - t * size))));
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            sink += sums.Sum();
        }
        GC.KeepAlive(sink);
        return buffer.Length * (double)sizeof(float) / best;
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        var width = Vector<float>.Count;
        Vector<float> a = default, b = default, c = default, d = default;
        var i = 0;
        for (; i <= values.Length - 4 * width; i += 4 * width)
        {
            a += new Vector<float>(values[i..]);
            b += new Vector<float>(values[(i + width)..]);
            c += new Vector<float>(values[(i + 2 * width)..]);
            d += new Vector<float>(values[(i + 3 * width)..]);
        }
        var sum = Vector.Sum(a + b + c + d);
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }
        return sum;
    }
}
