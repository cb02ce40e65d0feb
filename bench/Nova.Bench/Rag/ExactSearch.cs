using System.Numerics.Tensors;

namespace Nova.Bench.Rag;

/// <summary>
/// The reference: every float32 row scored with a SIMD dot product, split across the cores as the
/// embedded store did before it kept 8-bit codes. Its results are the ground truth for recall.
/// </summary>
public sealed class ExactSearch
{
    private readonly float[] _rows;
    private readonly int _dimensions;
    private readonly int _count;

    public ExactSearch(float[][] corpus)
    {
        _count = corpus.Length;
        _dimensions = corpus[0].Length;
        _rows = new float[_count * _dimensions];
        for (var i = 0; i < _count; i++)
        {
            corpus[i].CopyTo(_rows, i * _dimensions);
        }
    }

    /// <summary>Indexes of the <paramref name="k"/> best rows, best first.</summary>
    public int[] Search(float[] query, int k)
    {
        var partitions = Environment.ProcessorCount;
        var size = (_count + partitions - 1) / partitions;
        var partial = new (int Row, float Score)[partitions][];
        Parallel.For(0, partitions, p => partial[p] = TopK(query, p * size, Math.Min(_count, (p + 1) * size), k));
        return [.. partial.SelectMany(x => x).OrderByDescending(x => x.Score).Take(k).Select(x => x.Row)];
    }

    private (int, float)[] TopK(float[] query, int from, int to, int k)
    {
        var heap = new PriorityQueue<int, float>(k + 1);
        for (var row = from; row < to; row++)
        {
            var score = TensorPrimitives.Dot(query, _rows.AsSpan(row * _dimensions, _dimensions));
            if (heap.Count < k)
            {
                heap.Enqueue(row, score);
            }
            else if (heap.TryPeek(out _, out var worst) && score > worst)
            {
                heap.DequeueEnqueue(row, score);
            }
        }
        return [.. heap.UnorderedItems.Select(i => (i.Element, i.Priority))];
    }
}
