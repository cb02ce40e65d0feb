using System.Diagnostics;

namespace Nova.Tests.Infrastructure;

/// <summary>
/// Runs a cleanup command once the test process is gone, however it ends (normal exit, crash,
/// or a killed test host), so throwaway servers never outlive the run.
/// </summary>
internal static class ProcessReaper
{
    public static void CleanUpAfterExit(string cleanupCommand)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 0.3; done; {cleanupCommand}";
        using var watcher = Process.Start(new ProcessStartInfo("setsid", ["bash", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start the cleanup watcher.");
    }
}
