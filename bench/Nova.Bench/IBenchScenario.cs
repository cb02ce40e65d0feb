namespace Nova.Bench;

public interface IBenchScenario
{
    string Name { get; }

    Task<BenchReport> RunAsync(BenchOptions options);
}
