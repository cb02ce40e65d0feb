using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Nova.App.Api.Errors;
using Nova.Services.Llm;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// /api/v1/embeddings in OpenAI's format, answered by Nova's embedding provider (<c>Nova:Embeddings</c>, MiniLM
/// in-process by default): one text or a batch, as float arrays or base64 (little-endian float32, as OpenAI sends).
/// </summary>
internal static class EmbeddingsApi
{
    public const int MaxInputs = 256;
    public const int MaxInputChars = 100_000;

    public static RouteHandlerBuilder MapEmbeddings(this RouteGroupBuilder group) =>
        group.MapPost("/embeddings", CreateAsync)
            .WithName("CreateEmbeddings")
            .WithSummary("Embed one text or a batch with Nova's embedding model (OpenAI Embeddings format)")
            .Accepts<EmbeddingRequest>("application/json")
            .Produces<EmbeddingList<float[]>>(contentType: "application/json");

    /// <summary>The id the embedding model is known by, in /models and in requests.</summary>
    public static string ModelId(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "embeddings";

    private static async Task<IResult> CreateAsync(HttpContext context, IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        EmbeddingRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, OpenAiJsonContext.Default.EmbeddingRequest, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return OpenAiErrors.Result(StatusCodes.Status400BadRequest, $"The request body is not valid JSON for embeddings: {e.Message}",
                OpenAiErrors.InvalidRequest, e.Path, "invalid_json");
        }
        var model = ModelId(generator);
        if (request?.Model != model)
        {
            return OpenAiErrors.Result(StatusCodes.Status404NotFound, $"The embedding model '{request?.Model}' is not served by Nova; it serves '{model}'.",
                OpenAiErrors.InvalidRequest, "model", "model_not_found");
        }
        if (Inputs(request.Input ?? default) is not { } inputs)
        {
            return OpenAiErrors.InvalidParameter("input",
                $"'input' must be a non-empty string or an array of 1 to {MaxInputs} of them, each at most {MaxInputChars:N0} characters.");
        }
        var base64 = request.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => (bool?)null,
        };
        if (base64 is null)
        {
            return OpenAiErrors.InvalidParameter("encoding_format", "'encoding_format' must be 'float' or 'base64'.");
        }
        var embeddings = await generator.GenerateAsync(inputs, cancellationToken: context.RequestAborted);
        var tokens = inputs.Sum(UsageEstimate.CountTokens);
        var usage = new EmbeddingUsage(tokens, tokens);
        return base64.Value
            ? TypedResults.Json(new EmbeddingList<string>("list",
                [.. embeddings.Select((e, i) => new EmbeddingData<string>("embedding", i, Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span))))],
                model, usage), OpenAiJsonContext.Default.EmbeddingListString)
            : TypedResults.Json(new EmbeddingList<float[]>("list",
                [.. embeddings.Select((e, i) => new EmbeddingData<float[]>("embedding", i, e.Vector.ToArray()))], model, usage),
                OpenAiJsonContext.Default.EmbeddingListSingleArray);
    }

    /// <summary>A string or an array of strings; token arrays are not supported (Nova's models take text).</summary>
    private static List<string>? Inputs(JsonElement input)
    {
        List<string> texts = input.ValueKind switch
        {
            JsonValueKind.String => [input.GetString()!],
            JsonValueKind.Array when input.GetArrayLength() is > 0 and <= MaxInputs
                && input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => [.. input.EnumerateArray().Select(e => e.GetString()!)],
            _ => [],
        };
        return texts.Count > 0 && texts.All(t => t.Length is > 0 and <= MaxInputChars) ? texts : null;
    }
}
