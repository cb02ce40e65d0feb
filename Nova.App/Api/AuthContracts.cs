using System.Text.Json.Serialization;

namespace Nova.App.Api;

public sealed record TokenRequest(string? Email, string? Password);

/// <summary>An OAuth 2.0 style token response (RFC 6749 §5.1).</summary>
public sealed record AccessTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

public sealed record CurrentUserResponse(string Id, string Email, IReadOnlyList<string> Roles, string AuthMethod);

public sealed record CreateApiKeyRequest(string? Name);

/// <summary>A new key. <see cref="Key"/> appears in this response only; Nova keeps just its hash.</summary>
public sealed record CreatedApiKeyResponse(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, string Key);
