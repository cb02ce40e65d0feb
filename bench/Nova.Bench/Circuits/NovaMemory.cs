using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace Nova.Bench.Circuits;

/// <summary>Nova's memory after a full, blocking GC: the process working set and what the GC heap holds.</summary>
public readonly record struct MemorySnapshot(long WorkingSet, long GcHeap);

/// <summary>
/// Forces a full GC in the Nova child process and reads its memory afterwards. Nova has no route that
/// collects garbage (nor should it), so the GC is induced from outside as dotnet-gcdump does: an
/// EventPipe session asking the runtime provider for a heap collection (GCHeapCollect keyword) makes the
/// runtime run a blocking gen-2 GC. Nova's own /metrics (the runtime's meters) confirms that a gen-2 GC
/// ran and gives the heap size it left; the working set comes from the process.
/// </summary>
public sealed class NovaMemory(int processId, NovaMetrics metrics)
{
    private const long GcHeapCollectKeyword = 0x800000;

    public async Task<MemorySnapshot> AfterFullGcAsync()
    {
        // Twice: objects with finalizers are only freed by the collection after the one that found them.
        await CollectAsync();
        await CollectAsync();
        using var process = Process.GetProcessById(processId);
        return new MemorySnapshot(process.WorkingSet64, (long)await metrics.GcHeapBytesAsync());
    }

    /// <summary>A dump with the heap, for <c>dotnet-dump analyze</c>: which objects an idle circuit keeps. Nothing without a directory.</summary>
    public void WriteHeapDump(string? directory, string fileName)
    {
        if (directory is null)
        {
            return;
        }
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, fileName));
        new DiagnosticsClient(processId).WriteDump(DumpType.WithHeap, path);
        Console.WriteLine($"Heap dump: {path}");
    }

    private async Task CollectAsync()
    {
        var before = await metrics.Gen2CollectionsAsync();
        var client = new DiagnosticsClient(processId);
        using var session = await client.StartEventPipeSessionAsync(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcHeapCollectKeyword)],
            requestRundown: false, circularBufferMB: 16, CancellationToken.None);
        // The session's events are not needed, but the stream must be read for the runtime to keep writing.
        var drain = session.EventStream.CopyToAsync(Stream.Null);
        var clock = Stopwatch.StartNew();
        while (await metrics.Gen2CollectionsAsync() <= before)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("Nova ran no gen-2 GC within 30 s of being asked for one.");
            }
            await Task.Delay(100);
        }
        await session.StopAsync(CancellationToken.None);
        await drain;
    }
}
