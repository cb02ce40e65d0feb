using System.Collections;

namespace Nova.Services.Markdown;

/// <summary>
/// A snapshot: the finished blocks (a prefix of an array only ever appended to, or replaced
/// whole) followed by the growing ones, so taking one costs nothing per finished block.
/// </summary>
internal sealed class RenderedBlockList(RenderedBlock[] finished, int finishedCount, RenderedBlock[] growing)
    : IReadOnlyList<RenderedBlock>
{
    public static RenderedBlockList Empty { get; } = new([], 0, []);

    public int Count => finishedCount + growing.Length;

    public RenderedBlock this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return index < finishedCount ? finished[index] : growing[index - finishedCount];
        }
    }

    public IEnumerator<RenderedBlock> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
