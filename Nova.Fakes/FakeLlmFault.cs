namespace Nova.Fakes;

/// <summary>How a fake model server misbehaves on a chat request.</summary>
public enum FakeLlmFault
{
    None,

    /// <summary>HTTP 500 with an error body, before any token.</summary>
    Status500,

    /// <summary>HTTP 400 with an error body, before any token: the request's own content refused (too long for the context, say).</summary>
    Status400,

    /// <summary>HTTP 429 with an error body (and Retry-After when set), before any token.</summary>
    Status429,

    /// <summary>The connection is cut after <see cref="FakeLlmServer.FaultAfterTokens"/> tokens.</summary>
    DisconnectAfterTokens,

    /// <summary>After <see cref="FakeLlmServer.FaultAfterTokens"/> tokens a chunk that is not valid JSON, then the rest.</summary>
    MalformedChunk,

    /// <summary>After <see cref="FakeLlmServer.FaultAfterTokens"/> tokens the body ends cleanly, without the end marker.</summary>
    NoEndMarker,

    /// <summary>After <see cref="FakeLlmServer.FaultAfterTokens"/> tokens the server waits until the client goes away.</summary>
    Hang,
}
