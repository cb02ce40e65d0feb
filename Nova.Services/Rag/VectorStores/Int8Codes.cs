using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nova.Services.Rag.VectorStores;

/// <summary>
/// 8-bit codes of float vectors, one scale per vector, for a first pass that reads a quarter of the
/// bytes a float32 scan does. Stored codes are offset by 128 (unsigned) and the query's are signed,
/// which is the operand order of the VNNI dot-product instruction; the offset adds 128 × Σ query codes
/// to every raw dot product, a per-query constant that <see cref="Score"/> takes off again.
/// </summary>
internal static class Int8Codes
{
    private const float Levels = 127f;

    /// <summary>Writes the codes of <paramref name="vector"/> and returns its scale (0 for a zero vector).</summary>
    public static float Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        var scale = LargestMagnitude(vector) / Levels;
        var inverse = scale > 0 ? 1 / scale : 0;
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = (byte)(Math.Round(vector[i] * inverse, MidpointRounding.AwayFromZero) + 128);
        }
        return scale;
    }

    /// <summary>Writes the signed codes of a query and returns its scale and the offset correction for <see cref="Score"/>.</summary>
    public static (float Scale, int Offset) EncodeQuery(ReadOnlySpan<float> query, Span<sbyte> codes)
    {
        var scale = LargestMagnitude(query) / Levels;
        var inverse = scale > 0 ? 1 / scale : 0;
        var sum = 0;
        for (var i = 0; i < query.Length; i++)
        {
            codes[i] = (sbyte)Math.Round(query[i] * inverse, MidpointRounding.AwayFromZero);
            sum += codes[i];
        }
        return (scale, 128 * sum);
    }

    /// <summary>The approximate dot product of a stored vector and the query, up to the query's scale (the same for every row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(ReadOnlySpan<byte> codes, float scale, ReadOnlySpan<sbyte> query, int offset) =>
        (RawDot(codes, query) - offset) * scale;

    /// <summary>Σ codes[i] × query[i] with 32-bit sums (no overflow below 65,000 dimensions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RawDot(ReadOnlySpan<byte> codes, ReadOnlySpan<sbyte> query)
    {
        ref var c = ref MemoryMarshal.GetReference(codes);
        ref var q = ref MemoryMarshal.GetReference(query);
        var length = Math.Min(codes.Length, query.Length);
        var i = 0;
        var sum = 0;
        if (AvxVnni.IsSupported && length >= Vector256<byte>.Count)
        {
            var acc = Vector256<int>.Zero;
            for (; i <= length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                acc = AvxVnni.MultiplyWideningAndAdd(acc, Vector256.LoadUnsafe(ref c, (nuint)i), Vector256.LoadUnsafe(ref q, (nuint)i));
            }
            sum = Vector256.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && length >= Vector256<byte>.Count)
        {
            var acc = Vector256<int>.Zero;
            for (; i <= length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var (codesLow, codesHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref c, (nuint)i));
                var (queryLow, queryHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref q, (nuint)i));
                // 255 × 127 fits in a short, so the products are exact before widening.
                acc += WidenedSum(codesLow.AsInt16() * queryLow) + WidenedSum(codesHigh.AsInt16() * queryHigh);
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref c, i) * Unsafe.Add(ref q, i);
        }
        return sum;
    }

    // MaxMagnitude returns the element itself, sign included.
    private static float LargestMagnitude(ReadOnlySpan<float> vector) => vector.IsEmpty ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(vector));

    private static Vector256<int> WidenedSum(Vector256<short> products)
    {
        var (low, high) = Vector256.Widen(products);
        return low + high;
    }
}
