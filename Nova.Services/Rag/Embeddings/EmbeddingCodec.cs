using System.Runtime.InteropServices;

namespace Nova.Services.Rag.Embeddings;

/// <summary>Float vectors as little-endian bytes for <see cref="Model.Chunk.Embedding"/>.</summary>
public static class EmbeddingCodec
{
    public static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Embeddings are stored little-endian.");
        }
        return MemoryMarshal.AsBytes(vector).ToArray();
    }

    public static float[] FromBytes(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
