namespace Nova.Services.Llm;

/// <summary>Names of the <see cref="IHttpClientFactory"/> clients the model backends use.</summary>
internal static class LlmHttp
{
    /// <summary>Chat requests: timeouts, retries before the response starts, a circuit breaker per server.</summary>
    public const string ChatClientName = "Nova.Llm";

    /// <summary>
    /// Nova's own calls (chat titles): the same policies as <see cref="ChatClientName"/> in a pipeline of their own, so
    /// a server that refuses them opens only their circuit, never the one users' requests pass.
    /// </summary>
    public const string BackgroundClientName = "Nova.Llm.Background";

    /// <summary>Model listing: one short attempt, so health reflects the server as it is now.</summary>
    public const string ProbeClientName = "Nova.Llm.Probe";

    /// <summary>Bounds what a model listing may make Nova buffer.</summary>
    public const long MaxProbeResponseBytes = 4 * 1024 * 1024;
}
