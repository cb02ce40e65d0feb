using System.Buffers;

namespace Nova.Services.Rag.VectorStores;

/// <summary>
/// The scan behind a search, in up to three passes, each reading fewer rows than the one before:
/// from 20,000 rows on, the sign bits of every row (48 bytes each at 384 dimensions) shortlist the
/// closest 5% (at least 1,000 rows per partition) by Hamming distance; the 8-bit codes
/// (<see cref="Int8Codes"/>) of the shortlist — of every row in smaller stores — keep the best
/// max(4 × topK, 64); and <see cref="SearchAsync"/> scores those exactly from the floats. The bits of
/// a 100k store are 4.8 MB against 38 MB of codes and 154 MB of floats, so the first pass is cheap.
/// 5% is what real MiniLM embeddings need: their nearest neighbours by cosine fall within the closest
/// 1% by Hamming distance only about 97% of the time, within 5% over 99.7% (docs/benchmarks.md).
/// </summary>
public sealed partial class EmbeddedVectorStore
{
    private const int CandidatesPerResult = 4;
    private const int MinCandidates = 64;
    private const int ShortlistFromRows = 20_000;
    private const int ShortlistDivisor = 20;
    private const int MinShortlist = 1_000;

    private int Words => SignBits.WordsFor(_dimensions);

    /// <summary>The query in each form the passes compare with, and what may be returned.</summary>
    private sealed class ScanQuery
    {
        public ScanQuery(ReadOnlySpan<float> query, int dimensions, bool[] allowed, int candidates)
        {
            Codes = new sbyte[dimensions];
            (_, Offset) = Int8Codes.EncodeQuery(query, Codes);
            Bits = new ulong[SignBits.WordsFor(dimensions)];
            SignBits.Encode(query, Bits);
            Allowed = allowed;
            Candidates = candidates;
        }

        public sbyte[] Codes { get; }

        public int Offset { get; }

        public ulong[] Bits { get; }

        /// <summary>Per document slot.</summary>
        public bool[] Allowed { get; }

        /// <summary>How many rows the 8-bit pass keeps for exact scoring.</summary>
        public int Candidates { get; }
    }

    /// <summary>The rows of [<paramref name="from"/>, <paramref name="to"/>) with the best 8-bit scores, in no order.</summary>
    private int[] Candidates(ScanQuery query, int from, int to)
    {
        if (_rows < ShortlistFromRows)
        {
            return BestByCodes(query, RowsAllowed(query, from, to));
        }
        var shortlist = Math.Max(MinShortlist, (to - from) / ShortlistDivisor);
        var distances = ArrayPool<ushort>.Shared.Rent(to - from);
        try
        {
            return BestByCodes(query, Shortlist(query, from, to, shortlist, distances));
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(distances);
        }
    }

    private IEnumerable<int> RowsAllowed(ScanQuery query, int from, int to)
    {
        for (var row = from; row < to; row++)
        {
            if (query.Allowed[_rowSlots[row]])
            {
                yield return row;
            }
        }
    }

    /// <summary>
    /// The allowed rows whose sign bits differ least from the query's: every row at a distance up to the
    /// one that brings the count to <paramref name="size"/> (ties included), found with a histogram of
    /// distances rather than a sort.
    /// </summary>
    private IEnumerable<int> Shortlist(ScanQuery query, int from, int to, int size, ushort[] distances)
    {
        var words = Words;
        var bits = _bits.AsSpan();
        var histogram = new int[words * 64 + 2];
        var excluded = (ushort)(histogram.Length - 1);
        for (var row = from; row < to; row++)
        {
            var distance = query.Allowed[_rowSlots[row]]
                ? (ushort)SignBits.Distance(query.Bits, bits.Slice(row * words, words))
                : excluded;
            distances[row - from] = distance;
            histogram[distance]++;
        }
        var cut = 0;
        for (var taken = 0; cut < excluded && taken + histogram[cut] < size; cut++)
        {
            taken += histogram[cut];
        }
        var rows = new List<int>(size);
        for (var row = from; row < to; row++)
        {
            if (distances[row - from] <= cut && distances[row - from] != excluded)
            {
                rows.Add(row);
            }
        }
        return rows;
    }

    private int[] BestByCodes(ScanQuery query, IEnumerable<int> rows)
    {
        var k = query.Candidates;
        var heap = new PriorityQueue<int, float>(k + 1);
        var worst = float.NegativeInfinity;
        var codes = _codes;
        var dims = _dimensions;
        foreach (var row in rows)
        {
            var score = Int8Codes.Score(codes.AsSpan(row * dims, dims), _scales[row], query.Codes, query.Offset);
            if (heap.Count < k)
            {
                heap.Enqueue(row, score);
                if (heap.Count == k)
                {
                    heap.TryPeek(out _, out worst);
                }
            }
            else if (score > worst)
            {
                heap.DequeueEnqueue(row, score);
                heap.TryPeek(out _, out worst);
            }
        }
        return [.. heap.UnorderedItems.Select(item => item.Element)];
    }
}
