namespace Nova.Bench;

/// <summary>
/// CPU time of a process and all its descendants, read from /proc: for a browser, whose work is
/// spread over renderer, GPU and utility processes.
/// </summary>
public sealed class ProcessTreeCpu(int rootProcessId)
{
    private static readonly double TicksPerSecond = 100;

    /// <summary>The first process whose command line contains <paramref name="marker"/> (a unique launch argument).</summary>
    public static ProcessTreeCpu FindByCommandLine(string marker)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var id) && ReadCommandLine(id).Contains(marker, StringComparison.Ordinal))
            {
                return new ProcessTreeCpu(id);
            }
        }
        throw new InvalidOperationException($"No process was started with '{marker}'.");
    }

    /// <summary>User plus system CPU time of the tree so far.</summary>
    public TimeSpan Total()
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var id) && ReadStat(id) is { } stat)
            {
                parents[id] = stat.ParentId;
                ticks[id] = stat.Ticks;
            }
        }
        long total = 0;
        foreach (var (id, used) in ticks)
        {
            if (Descends(id, parents))
            {
                total += used;
            }
        }
        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }

    /// <summary>Share of one core the tree used over <paramref name="duration"/>, in percent.</summary>
    public async Task<double> MeasurePercentAsync(TimeSpan duration)
    {
        var before = Total();
        await Task.Delay(duration);
        return (Total() - before) / duration * 100;
    }

    private bool Descends(int id, Dictionary<int, int> parents)
    {
        for (var hops = 0; hops < 64 && id > 1; hops++)
        {
            if (id == rootProcessId)
            {
                return true;
            }
            if (!parents.TryGetValue(id, out id))
            {
                return false;
            }
        }
        return false;
    }

    private static string ReadCommandLine(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static (int ParentId, long Ticks)? ReadStat(int id)
    {
        try
        {
            // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
            var stat = File.ReadAllText($"/proc/{id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
