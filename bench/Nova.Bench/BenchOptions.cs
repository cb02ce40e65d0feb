namespace Nova.Bench;

/// <summary>Command line: <c>[--quick] [--scenario NAME] [--out DIR]</c>.</summary>
public sealed record BenchOptions(bool Quick, string? Scenario, string OutputDirectory)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        return new BenchOptions(
            args.Contains("--quick"),
            Value("--scenario"),
            Value("--out") ?? Path.Combine(RepositoryRoot(), "bench", "results"));
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Nova.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the Nova repository.");
    }
}
