using System.Net.Http.Headers;
using System.Text.Json;

namespace Nova.Services.Llm;

/// <summary>
/// Asks one endpoint which models it serves: <c>GET {BaseUrl}/models</c> for OpenAI-compatible
/// servers, <c>GET {BaseUrl}/api/tags</c> for Ollama. The answer is untrusted: size, count and
/// ids are bounded, and anything malformed is an error rather than a partial list.
/// </summary>
public sealed class ModelLister(IHttpClientFactory httpClientFactory)
{
    internal const int MaxModels = 1000;

    /// <summary>The model ids the endpoint offers, in its order, without duplicates.</summary>
    /// <exception cref="ModelListingException">The endpoint did not answer with a usable list.</exception>
    public async Task<IReadOnlyList<string>> ListAsync(LlmEndpointOptions endpoint, CancellationToken cancellationToken)
    {
        var (path, arrayName, idName) = endpoint.EndpointKind == LlmEndpointKind.Ollama
            ? ("api/tags", "models", "name")
            : ("models", "data", "id");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint.BaseUri, path));
        if (!string.IsNullOrEmpty(endpoint.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        }

        byte[] body;
        try
        {
            using var client = httpClientFactory.CreateClient(LlmHttp.ProbeClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ModelListingException($"GET /{path} answered HTTP {(int)response.StatusCode} ({response.StatusCode}).", (int)response.StatusCode);
            }
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ModelListingException($"GET /{path} failed: {e.Message}", null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelListingException($"GET /{path} did not answer in time.", null, e);
        }
        return Parse(body, path, arrayName, idName);
    }

    private static List<string> Parse(byte[] body, string path, string arrayName, string idName)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(arrayName, out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                throw new ModelListingException($"GET /{path} answered without a \"{arrayName}\" array.", null);
            }
            var ids = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object
                    && item.TryGetProperty(idName, out var idElement)
                    && idElement.ValueKind == JsonValueKind.String
                    && idElement.GetString() is { } id
                    && ModelIds.IsValid(id)
                    && seen.Add(id))
                {
                    ids.Add(id);
                    if (ids.Count == MaxModels)
                    {
                        break;
                    }
                }
            }
            return ids;
        }
        catch (JsonException e)
        {
            throw new ModelListingException($"GET /{path} answered with malformed JSON.", null, e);
        }
    }
}

/// <summary>An endpoint's model list could not be read; the message is safe to show to admins.</summary>
public sealed class ModelListingException(string message, int? statusCode, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status the endpoint answered with, when it answered at all.</summary>
    public int? StatusCode { get; } = statusCode;
}
