using System.Diagnostics;

namespace Nova.Bench.Circuits;

/// <summary>The highest working set a process reached while this was watching it (sampled every 100 ms).</summary>
public sealed class WorkingSetPeak : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    public WorkingSetPeak(Process process) => _sampling = SampleAsync(process);

    public long Peak => Interlocked.Read(ref _peak);

    private async Task SampleAsync(Process process)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            process.Refresh();
            Interlocked.Exchange(ref _peak, Math.Max(_peak, process.WorkingSet64));
        }
        while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
