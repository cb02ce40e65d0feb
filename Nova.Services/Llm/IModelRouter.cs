using Microsoft.Extensions.AI;

namespace Nova.Services.Llm;

public sealed record ModelInfo(string Id, string EndpointName, bool IsAvailable);

public sealed record ResolvedModel(string ModelId, string EndpointName, IChatClient Client);

/// <summary>Merged model catalog across endpoints with health; routes a model id to the endpoint serving it.</summary>
public interface IModelRouter
{
    IReadOnlyList<ModelInfo> ListModels();

    string? DefaultModelId { get; }

    /// <summary>Null model id means the default; a null result means no model is reachable (retrieval-only mode).</summary>
    ResolvedModel? Resolve(string? modelId);

    event Action? Changed;
}
