using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Nova.Services.Llm;

namespace Nova.Tests.Unit.Chat;

/// <summary>One fake model on one endpoint, or none at all when <see cref="Connected"/> is false.</summary>
internal sealed class FakeModelRouter(IChatClient client) : IModelRouter
{
    public const string ModelId = "fake-model";
    public const string Endpoint = "fake-endpoint";

    public bool Connected { get; set; } = true;

    public ConcurrentQueue<string?> Requested { get; } = new();

    public string? DefaultModelId => Connected ? ModelId : null;

    public event Action? Changed
    {
        add { }
        remove { }
    }

    public IReadOnlyList<ModelInfo> ListModels() => [new ModelInfo(ModelId, Endpoint, Connected)];

    public ResolvedModel? Resolve(string? modelId)
    {
        Requested.Enqueue(modelId);
        return Connected ? new ResolvedModel(modelId ?? ModelId, Endpoint, client) : null;
    }
}
