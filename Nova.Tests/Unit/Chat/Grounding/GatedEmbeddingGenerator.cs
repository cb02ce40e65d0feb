using Microsoft.Extensions.AI;
using Nova.Services.Rag.Embeddings;

namespace Nova.Tests.Unit.Chat.Grounding;

/// <summary>The in-process MiniLM model behind a gate a test can close, to hold a search where it is.</summary>
internal sealed class GatedEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly MiniLmEmbeddingGenerator _model = new();
    private TaskCompletionSource _gate = Opened();

    public void Close() => Volatile.Write(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Open() => Volatile.Read(ref _gate).TrySetResult();

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        await Volatile.Read(ref _gate).Task.WaitAsync(cancellationToken);
        return await _model.GenerateAsync(values, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => _model.GetService(serviceType, serviceKey);

    public void Dispose() => _model.Dispose();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }
}
