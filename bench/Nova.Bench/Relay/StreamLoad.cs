namespace Nova.Bench.Relay;

/// <summary>
/// Keeps <c>concurrency</c> streams open: each virtual client runs <c>rounds</c> streams back to back,
/// and the clients start evenly spread over <c>spread</c>, so arrivals are staggered as real users' are
/// rather than landing in one instant.
/// </summary>
public static class StreamLoad
{
    public static async Task<List<StreamTrace>> RunAsync(int concurrency, int rounds, TimeSpan spread, Func<CancellationToken, Task<StreamTrace>> stream,
        CancellationToken cancellationToken)
    {
        var traces = new List<StreamTrace>[concurrency];
        var clients = Enumerable.Range(0, concurrency).Select(async client =>
        {
            traces[client] = [];
            await Task.Delay(spread * client / concurrency, cancellationToken);
            for (var round = 0; round < rounds; round++)
            {
                traces[client].Add(await stream(cancellationToken));
            }
        });
        await Task.WhenAll(clients);
        return [.. traces.SelectMany(t => t)];
    }
}
