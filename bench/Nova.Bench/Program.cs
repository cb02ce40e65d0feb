using Nova.Bench;
using Nova.Bench.Scenarios;

var options = BenchOptions.Parse(args);
IBenchScenario[] scenarios = [new StartupScenario(), new SceneScenario()];

var selected = scenarios.Where(s => options.Scenario is null || s.Name.Equals(options.Scenario, StringComparison.OrdinalIgnoreCase)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"No scenario named '{options.Scenario}'. Known: {string.Join(", ", scenarios.Select(s => s.Name))}");
    return 2;
}

Console.WriteLine(MachineInfo.Describe());
var failures = 0;
foreach (var scenario in selected)
{
    Console.WriteLine();
    Console.WriteLine($"## {scenario.Name}{(options.Quick ? " (quick)" : "")}");
    try
    {
        var report = await scenario.RunAsync(options);
        report.Print(Console.Out);
        await report.WriteJsonAsync(options.OutputDirectory);
    }
    catch (Exception e)
    {
        failures++;
        Console.Error.WriteLine($"{scenario.Name} failed: {e}");
    }
}
return failures == 0 ? 0 : 1;
