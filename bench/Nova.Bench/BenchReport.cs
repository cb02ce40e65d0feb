using System.Text.Json;

namespace Nova.Bench;

/// <summary>One row per measured quantity: Nova's figure beside the limit it is compared with.</summary>
public sealed record BenchRow(string Metric, double Value, string Unit, double? Limit = null, string? LimitName = null)
{
    public double? Ratio => Limit is > 0 ? Value / Limit : null;
}

public sealed class BenchReport(string scenario)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Scenario { get; } = scenario;

    public List<BenchRow> Rows { get; } = [];

    public BenchReport Add(string metric, double value, string unit, double? limit = null, string? limitName = null)
    {
        Rows.Add(new BenchRow(metric, value, unit, limit, limitName));
        return this;
    }

    public void Print(TextWriter output)
    {
        output.WriteLine("| metric | value | unit | limit | ratio |");
        output.WriteLine("|---|---:|---|---|---:|");
        foreach (var row in Rows)
        {
            var limit = row.Limit is null ? "" : $"{row.Limit:0.###} ({row.LimitName})";
            var ratio = row.Ratio is null ? "" : $"{row.Ratio:0.###}";
            output.WriteLine($"| {row.Metric} | {row.Value:0.###} | {row.Unit} | {limit} | {ratio} |");
        }
    }

    public async Task WriteJsonAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Scenario}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { Scenario, Machine = MachineInfo.Describe(), Rows }, Json));
    }
}
