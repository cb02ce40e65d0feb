namespace Nova.Services.Llm;

/// <summary>Names of the <see cref="IHttpClientFactory"/> clients the model backends use.</summary>
internal static class LlmHttp
{
    /// <summary>Chat requests: timeouts, retries before the response starts, a circuit breaker per server.</summary>
    public const string ChatClientName = "Nova.Llm";

    /// <summary>Model listing: one short attempt, so health reflects the server as it is now.</summary>
    public const string ProbeClientName = "Nova.Llm.Probe";

    /// <summary>Bounds what a model listing may make Nova buffer.</summary>
    public const long MaxProbeResponseBytes = 4 * 1024 * 1024;
}
