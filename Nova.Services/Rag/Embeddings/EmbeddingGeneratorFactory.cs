using System.ClientModel;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace Nova.Services.Rag.Embeddings;

/// <summary>The one place where <c>Nova:Embeddings:Provider</c> turns into an embedding generator.</summary>
internal static class EmbeddingGeneratorFactory
{
    public static IEmbeddingGenerator<string, Embedding<float>> Create(EmbeddingOptions options, int batchSize) => options.Provider switch
    {
        EmbeddingProvider.MiniLM => new MiniLmEmbeddingGenerator(batchSize),
        EmbeddingProvider.Ollama => new OllamaApiClient(options.BaseUrl!, options.Model!),
        EmbeddingProvider.OpenAI => new OpenAIClient(
                new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey),
                new OpenAIClientOptions { Endpoint = options.BaseUrl })
            .GetEmbeddingClient(options.Model!)
            .AsIEmbeddingGenerator(),
        _ => throw new InvalidOperationException($"Unknown embedding provider {options.Provider}."),
    };

    /// <summary>Returns null when valid, else a message naming the offending key.</summary>
    public static string? Validate(EmbeddingOptions options)
    {
        if (options.Provider == EmbeddingProvider.MiniLM)
        {
            return null;
        }
        if (options.BaseUrl is null || !options.BaseUrl.IsAbsoluteUri || options.BaseUrl.Scheme is not ("http" or "https"))
        {
            return $"Setting '{EmbeddingOptions.Section}:BaseUrl' must be an absolute http(s) URL when the provider is {options.Provider}.";
        }
        if (string.IsNullOrWhiteSpace(options.Model))
        {
            return $"Setting '{EmbeddingOptions.Section}:Model' is required when the provider is {options.Provider}.";
        }
        return null;
    }
}
