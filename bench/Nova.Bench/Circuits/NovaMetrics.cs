using System.Globalization;
using System.Text.RegularExpressions;

namespace Nova.Bench.Circuits;

/// <summary>Reads the runtime's meters from Nova's own /metrics (Prometheus text).</summary>
public sealed partial class NovaMetrics(HttpClient http)
{
    /// <summary>Bytes the last GC left on the heap, all generations.</summary>
    public async Task<double> GcHeapBytesAsync() => Sum(await ReadAsync(), "dotnet_gc_last_collection_heap_size_bytes");

    public async Task<double> Gen2CollectionsAsync() => Sum(await ReadAsync(), "dotnet_gc_collections_total", "gen2");

    /// <summary>Time the JIT has spent compiling since Nova started, tiered recompilation included.</summary>
    public async Task<TimeSpan> JitTimeAsync()
    {
        var text = await ReadAsync();
        if (!Sample().Matches(text).Any(m => m.Groups["name"].Value == JitTime))
        {
            throw new InvalidOperationException($"Nova's /metrics has no {JitTime}.");
        }
        return TimeSpan.FromSeconds(Sum(text, JitTime));
    }

    private const string JitTime = "dotnet_jit_compilation_time_seconds_total";

    private Task<string> ReadAsync() => http.GetStringAsync("metrics");

    /// <summary>The sum of a metric's samples, optionally only those whose labels mention <paramref name="label"/>.</summary>
    private static double Sum(string exposition, string metric, string? label = null) =>
        Sample().Matches(exposition)
            .Where(m => m.Groups["name"].Value == metric && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})?\s+(?<value>[-+0-9.eE]+|NaN)(\s+\d+)?\s*$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
