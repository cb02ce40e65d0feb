namespace Nova.Bench;

public static class MachineInfo
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"machine: {Environment.ProcessorCount} cores, {cpu ?? "unknown CPU"}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}";
    }

    /// <summary>The 1, 5 and 15 minute load averages: the cores are shared, so every figure is read beside them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
