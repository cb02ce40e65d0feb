using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Nova.Services.Llm;

/// <summary>
/// Builds the <see cref="IChatClient"/> for one model on one endpoint: the OpenAI SDK for
/// OpenAI-compatible servers, OllamaSharp for Ollama, both over the resilient
/// <see cref="IHttpClientFactory"/> client and wrapped in telemetry, logging and timeouts.
/// </summary>
public sealed class LlmClientFactory(
    IHttpClientFactory httpClientFactory,
    IHttpMessageHandlerFactory handlerFactory,
    ILoggerFactory loggerFactory,
    IServiceProvider services,
    IOptions<LlmOptions> options,
    TimeProvider time)
{
    /// <summary>The activity source and meter name of chat calls.</summary>
    public const string TelemetrySourceName = "Nova.Llm";

    // OpenAI-compatible servers without authentication still need some bearer value for the SDK.
    private const string NoApiKey = "none";

    /// <summary>
    /// The client for <paramref name="modelId"/> on <paramref name="endpoint"/>; a <paramref name="background"/> one
    /// (Nova's own calls, such as chat titles) goes through an HTTP pipeline of its own, whose circuit breaker is not
    /// the one users' requests pass.
    /// </summary>
    public IChatClient Create(LlmEndpointOptions endpoint, string modelId, bool background = false)
    {
        var settings = options.Value;
        var httpClientName = background ? LlmHttp.BackgroundClientName : LlmHttp.ChatClientName;
        var inner = endpoint.EndpointKind == LlmEndpointKind.Ollama
            ? CreateOllama(endpoint, modelId, httpClientName)
            : CreateOpenAI(endpoint, modelId, httpClientName);
        return new ChatClientBuilder(inner)
            .UseOpenTelemetry(loggerFactory, TelemetrySourceName)
            .UseLogging(loggerFactory)
            .Use(client => new GenerationGuardChatClient(client, modelId, settings.FirstTokenTimeout, settings.RequestTimeout, time))
            .Build(services);
    }

    private IChatClient CreateOllama(LlmEndpointOptions endpoint, string modelId, string httpClientName) =>
        new OllamaChatClient(handlerFactory, endpoint, modelId, httpClientName);

    private IChatClient CreateOpenAI(LlmEndpointOptions endpoint, string modelId, string httpClientName)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint.BaseUri,
            Transport = new HttpClientPipelineTransport(CreateHttpClient(httpClientName)),
            // Retries belong to the HTTP resilience pipeline, which knows not to repeat a started stream.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Time is bounded by the resilience pipeline (until headers) and GenerationGuardChatClient (first token,
            // whole answer). An SDK timeout as well would re-arm a timer on every read of a stream, once per token.
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(endpoint.ApiKey) ? NoApiKey : endpoint.ApiKey);
        return new OpenAIClient(credential, clientOptions).GetChatClient(modelId).AsIChatClient();
    }

    private HttpClient CreateHttpClient(string name)
    {
        var http = httpClientFactory.CreateClient(name);
        // The resilience handler bounds the wait for headers; a streamed body may legitimately take minutes.
        http.Timeout = Timeout.InfiniteTimeSpan;
        return http;
    }
}
