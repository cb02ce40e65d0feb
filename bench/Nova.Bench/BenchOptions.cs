namespace Nova.Bench;

/// <summary>Command line: <c>[--quick] [--scenario NAME] [--streams N[,N…]] [--circuits N[,N…]] [--out DIR] [--dump DIR] [--help]</c>.</summary>
public sealed record BenchOptions(
    bool Quick, string? Scenario, string OutputDirectory, IReadOnlyList<int>? Streams = null, bool Help = false, string? DumpDirectory = null,
    IReadOnlyList<int>? Circuits = null)
{
    public const string Usage = """
        Usage: dotnet bench/Nova.Bench/bin/Release/net10.0/Nova.Bench.dll [options]
          --scenario NAME   run one scenario (default: all of them)
          --quick           every scenario small (< 2 min in all): the smoke run of ./test.sh
          --streams N[,N…]  relay only: the numbers of concurrent streams to measure (default 1,50,500; quick 1,10)
          --circuits N[,N…] circuits only: the numbers of concurrent streaming circuits (default 10,100,500; quick 5)
          --out DIR         where the JSON reports go (default bench/results)
          --dump DIR        circuits only: heap dumps of Nova with no circuit and with the idle circuits open,
                            for `dotnet-dump analyze FILE` (dumpheap -stat -live)
          --help            this text
        """;

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
            Value("--out") ?? Path.Combine(RepositoryRoot(), "bench", "results"),
            Numbers(Value("--streams")),
            args.Contains("--help") || args.Contains("-h"),
            Value("--dump"),
            Numbers(Value("--circuits")));
    }

    private static int[]? Numbers(string? list) => list is null ? null : [.. list.Split(',').Select(int.Parse)];

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
