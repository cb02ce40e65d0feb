namespace Nova.Services.Llm;

/// <summary>
/// One endpoint as the catalog last saw it. <see cref="LastError"/> is Nova's own wording (plus
/// the HTTP stack's), never the server's response body, and never holds the API key.
/// </summary>
public sealed record EndpointHealth(
    string Name,
    LlmEndpointKind Kind,
    string BaseUrl,
    bool IsReachable,
    string? LastError,
    DateTimeOffset? LastChecked,
    int ModelCount);
