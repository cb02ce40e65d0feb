using Nova.Bench;
using Nova.Bench.Scenarios;

var options = BenchOptions.Parse(args);
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
IBenchScenario[] scenarios =
[
    new StartupScenario(),
    new RestRelayScenario(),
    new CircuitsScenario(),
    new EmbeddingScenario(),
    new LongAnswerScenario(),
    new RetrievalScenario(),
    new IngestionScenario(),
    new SceneScenario(),
];

var selected = scenarios.Where(s => options.Scenario is null || s.Name.Equals(options.Scenario, StringComparison.OrdinalIgnoreCase)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"No scenario named '{options.Scenario}'. Known: {string.Join(", ", scenarios.Select(s => s.Name))}");
    return 2;
}

Console.WriteLine(MachineInfo.Describe());
var failures = 0;
var missed = new List<string>();
foreach (var scenario in selected)
{
    Console.WriteLine();
    Console.WriteLine($"## {scenario.Name}{(options.Quick ? " (quick)" : "")}");
    var clock = System.Diagnostics.Stopwatch.StartNew();
    try
    {
        var report = await scenario.RunAsync(options);
        report.Print(Console.Out);
        await report.WriteJsonAsync(options.OutputDirectory);
        if (report.Errors.Count > 0)
        {
            failures++;
            report.Errors.ForEach(error => Console.Error.WriteLine($"{scenario.Name} failed in part: {error}"));
        }
        missed.AddRange(report.Missed.Select(r => $"{scenario.Name}: {r.Metric} = {r.Value:0.###} {r.Unit} (target {r.Target})"));
    }
    catch (Exception e)
    {
        failures++;
        Console.Error.WriteLine($"{scenario.Name} failed: {e}");
    }
    Console.WriteLine($"({scenario.Name} took {clock.Elapsed.TotalSeconds:0.0} s)");
}

// Slowness is reported, never failed on: the machines are shared and noisy. Errors fail the run.
Console.WriteLine();
Console.WriteLine(missed.Count == 0 ? "Every target met." : $"Targets missed ({missed.Count}):");
missed.ForEach(m => Console.WriteLine($"- {m}"));
return failures == 0 ? 0 : 1;
