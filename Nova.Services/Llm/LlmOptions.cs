namespace Nova.Services.Llm;

public enum LlmEndpointKind
{
    OpenAI,
    Ollama,
}

/// <summary>Bound from <c>Nova:Llm</c>: the model servers Nova chats with and how patiently.</summary>
public sealed class LlmOptions
{
    public const string Section = "Nova:Llm";

    /// <summary>Used when no endpoint is configured: an Ollama on this machine, if one answers.</summary>
    public static LlmEndpointOptions LocalOllama() => new()
    {
        Name = "ollama-local",
        Kind = nameof(LlmEndpointKind.Ollama),
        BaseUrl = "http://localhost:11434",
    };

    public List<LlmEndpointOptions> Endpoints { get; set; } = [];

    /// <summary>Preferred model; used as the default only while some endpoint serves it.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>How often every endpoint is asked for its models.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long listing the models of one endpoint may take before it counts as unreachable.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest wait from sending a request to the first token (and, per attempt, to the response
    /// headers). Generous by default because Ollama loads a cold model before answering.
    /// </summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest a whole generation may run, streaming included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries of a request that failed before its response started (5xx, 429, connection errors).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay between retries; it grows exponentially with jitter, and a Retry-After header wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>One model server. <see cref="ApiKey"/> is a secret: it is sent, never logged or shown.</summary>
public sealed class LlmEndpointOptions
{
    public string Name { get; set; } = "";

    /// <summary>
    /// Required: the protocol the server speaks, <c>OpenAI</c> or <c>Ollama</c> (any case). Bound as
    /// text because the configuration binder silently drops a list element whose enum fails to convert.
    /// </summary>
    public string Kind { get; set; } = "";

    /// <summary>
    /// For <see cref="LlmEndpointKind.OpenAI"/> the URL the OpenAI paths hang off, usually ending in
    /// <c>/v1</c> (vLLM, TGI, llama.cpp: <c>http://host:8000/v1</c>); for Ollama the server root.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    public string? ApiKey { get; set; }

    /// <summary>Models this endpoint offers; when empty, the endpoint's own list is used.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>The parsed <see cref="Kind"/>; valid once options validation has passed.</summary>
    public LlmEndpointKind EndpointKind => TryParseKind(Kind, out var kind)
        ? kind
        : throw new InvalidOperationException($"Endpoint '{Name}' has no valid Kind.");

    internal static bool TryParseKind(string? value, out LlmEndpointKind kind)
    {
        kind = default;
        return !string.IsNullOrEmpty(value) && value.All(char.IsAsciiLetter) && Enum.TryParse(value, ignoreCase: true, out kind);
    }

    internal Uri BaseUri => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/", UriKind.Absolute);
}
