using System.Text.Json;

namespace Nova.Bench;

/// <summary>A limit a figure is held to: at most <see cref="Limit"/>, or at least it when <see cref="AtLeast"/>.</summary>
public sealed record BenchTarget(double Limit, bool AtLeast = false)
{
    public bool IsMet(double value) => AtLeast ? value >= Limit : value <= Limit;

    public override string ToString() => $"{(AtLeast ? "≥" : "≤")} {Limit:0.###}";
}

/// <summary>One measured quantity, with the figure it is compared against in the same run and the target it is held to.</summary>
public sealed record BenchRow(string Metric, double Value, string Unit, BenchTarget? Target = null, string? Note = null)
{
    public bool? Met => Target?.IsMet(Value);
}

public sealed class BenchReport(string scenario)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly string _loadBefore = MachineInfo.LoadAverage();

    public string Scenario { get; } = scenario;

    public List<BenchRow> Rows { get; } = [];

    /// <summary>What went wrong in parts of the scenario that could not be measured; any error fails the run.</summary>
    public List<string> Errors { get; } = [];

    public BenchReport Add(string metric, double value, string unit, BenchTarget? target = null, string? note = null)
    {
        Rows.Add(new BenchRow(metric, value, unit, target, note));
        return this;
    }

    /// <summary>Targets missed, for the summary; missing a target never fails the run.</summary>
    public IEnumerable<BenchRow> Missed => Rows.Where(r => r.Met == false);

    public void Print(TextWriter output)
    {
        output.WriteLine($"load average before: {_loadBefore}, after: {MachineInfo.LoadAverage()}");
        output.WriteLine("| metric | value | unit | target | met | note |");
        output.WriteLine("|---|---:|---|---|---|---|");
        foreach (var row in Rows)
        {
            var met = row.Met switch { true => "yes", false => "**no**", null => "" };
            output.WriteLine($"| {row.Metric} | {Format(row.Value)} | {row.Unit} | {row.Target} | {met} | {row.Note} |");
        }
    }

    public async Task WriteJsonAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Scenario}.json");
        var document = new
        {
            Scenario,
            Machine = MachineInfo.Describe(),
            LoadAverageBefore = _loadBefore,
            LoadAverageAfter = MachineInfo.LoadAverage(),
            Errors,
            Rows = Rows.Select(r => new { r.Metric, r.Value, r.Unit, Target = r.Target?.ToString(), r.Met, r.Note }),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Json));
    }

    private static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("#,0"),
        >= 10 => value.ToString("0.#"),
        _ => value.ToString("0.####"),
    };
}
