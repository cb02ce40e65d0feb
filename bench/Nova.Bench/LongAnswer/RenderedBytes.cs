using System.Text;
using Nova.Services.Markdown;

namespace Nova.Bench.LongAnswer;

/// <summary>
/// The HTML an update puts on the wire: the chat renders blocks with <c>@key</c>, so only blocks that are
/// new or whose HTML changed since the last update are sent again; finished blocks are not.
/// </summary>
public sealed class RenderedBytes
{
    private Dictionary<int, string> _shown = [];

    public long Total { get; private set; }

    /// <summary>Bytes of the blocks that changed, which are then counted as shown.</summary>
    public long Update(IReadOnlyList<RenderedBlock> blocks)
    {
        var shown = new Dictionary<int, string>(blocks.Count);
        long bytes = 0;
        foreach (var block in blocks)
        {
            if (!_shown.TryGetValue(block.Key, out var before) || !ReferenceEquals(before, block.Html) && before != block.Html)
            {
                bytes += Encoding.UTF8.GetByteCount(block.Html);
            }
            shown[block.Key] = block.Html;
        }
        _shown = shown;
        Total += bytes;
        return bytes;
    }

    public static long SizeOf(IReadOnlyList<RenderedBlock> blocks) => blocks.Sum(b => (long)Encoding.UTF8.GetByteCount(b.Html));
}
