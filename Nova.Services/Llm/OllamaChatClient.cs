using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace Nova.Services.Llm;

/// <summary>
/// OllamaSharp's <see cref="IChatClient"/>, made to honour cancellation mid-stream. OllamaSharp
/// reads the NDJSON body without passing the token on, so a cancelled or timed-out call would wait
/// for the server's next line, forever if the server hangs. Each call therefore gets its own
/// OllamaSharp client whose HTTP responses are disposed, aborting the read and the connection, the
/// moment the call's token is cancelled.
/// </summary>
internal sealed class OllamaChatClient(
    IHttpMessageHandlerFactory handlers, LlmEndpointOptions endpoint, string modelId, string httpClientName = LlmHttp.ChatClientName) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new("ollama", endpoint.BaseUri, modelId);

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var client = Create(cancellationToken);
        try
        {
            return await ((IChatClient)client).GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("The request to Ollama was cancelled.", e, cancellationToken);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var client = Create(cancellationToken);
        await using var updates = ((IChatClient)client).GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    break;
                }
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                throw new OperationCanceledException("The request to Ollama was cancelled.", e, cancellationToken);
            }
            yield return updates.Current;
        }
        // OllamaSharp ends a cancelled stream quietly; a quiet end must not pass for a whole answer.
        cancellationToken.ThrowIfCancellationRequested();
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private OllamaApiClient Create(CancellationToken cancellationToken)
    {
        // The factory owns the pipeline handler; neither the HttpClient nor the wrapper may dispose it.
        var handler = new AbortOnCancelHandler(cancellationToken) { InnerHandler = handlers.CreateHandler(httpClientName) };
        var http = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = endpoint.BaseUri,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(endpoint.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        }
        return new OllamaApiClient(http, modelId);
    }

    private sealed class AbortOnCancelHandler(CancellationToken call) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            call.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
            return response;
        }
    }
}
