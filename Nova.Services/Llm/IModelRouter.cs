using Microsoft.Extensions.AI;

namespace Nova.Services.Llm;

public sealed record ModelInfo(string Id, string EndpointName, bool IsAvailable);

/// <summary>
/// A model ready to call. <see cref="Client"/> is for users' requests; <see cref="BackgroundClient"/> for Nova's own
/// calls (chat titles): it has its own circuit breaker per server, so its failures never refuse users' requests.
/// </summary>
public sealed record ResolvedModel(string ModelId, string EndpointName, IChatClient Client)
{
    public IChatClient BackgroundClient { get; init; } = Client;
}

/// <summary>Merged model catalog across endpoints with health; routes a model id to the endpoint serving it.</summary>
public interface IModelRouter
{
    IReadOnlyList<ModelInfo> ListModels();

    string? DefaultModelId { get; }

    /// <summary>Null model id means the default; a null result means no model is reachable (retrieval-only mode).</summary>
    ResolvedModel? Resolve(string? modelId);

    event Action? Changed;
}
