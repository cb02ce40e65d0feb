using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nova.Services.Rag.VectorStores;

/// <summary>
/// One bit per dimension, the sign of each component: 48 bytes for a 384-dimensional vector, a
/// thirty-second of its float32 bytes. The number of differing bits (Hamming distance) falls as the
/// angle between two vectors closes, so it can shortlist rows for a closer look at little memory traffic.
/// </summary>
internal static class SignBits
{
    public static int WordsFor(int dimensions) => (dimensions + 63) / 64;

    public static void Encode(ReadOnlySpan<float> vector, Span<ulong> bits)
    {
        bits.Clear();
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                bits[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var distance = 0;
        for (var i = 0; i < a.Length; i++)
        {
            distance += BitOperations.PopCount(a[i] ^ b[i]);
        }
        return distance;
    }
}
