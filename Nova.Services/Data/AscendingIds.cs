namespace Nova.Services.Data;

/// <summary>
/// Version-7 ids that sort in the order this process made them. <see cref="Guid.CreateVersion7(DateTimeOffset)"/> fills
/// everything below the millisecond at random, so ids made in the same millisecond (several files of one upload) would
/// sort at random; here each id is at least a millisecond later than the one before.
/// </summary>
public static class AscendingIds
{
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;

    public static Guid Next(DateTimeOffset now)
    {
        lock (Gate)
        {
            _lastMilliseconds = Math.Max(now.ToUnixTimeMilliseconds(), _lastMilliseconds + 1);
            return Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(_lastMilliseconds));
        }
    }
}
