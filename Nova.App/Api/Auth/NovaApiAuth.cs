namespace Nova.App.Api.Auth;

/// <summary>The authentication schemes the REST API accepts. The UI's cookie is not one of them.</summary>
public static class NovaApiSchemes
{
    public const string Jwt = "NovaJwt";
    public const string ApiKey = "NovaApiKey";

    public static readonly string[] All = [Jwt, ApiKey];
}

/// <summary>Authorization policies for REST endpoints; each authenticates with <see cref="NovaApiSchemes"/> only.</summary>
public static class NovaApiPolicies
{
    public const string User = "NovaApiUser";
    public const string Admin = "NovaApiAdmin";

    /// <summary>Signed in with a password (a JWT), not with an API key.</summary>
    public const string PasswordSignIn = "NovaApiPasswordSignIn";
}

/// <summary>Claims Nova puts on API principals and tokens.</summary>
public static class NovaApiClaims
{
    /// <summary>In a JWT: the SHA-256 of the user's security stamp, never the stamp itself.</summary>
    public const string StampHash = "nova_stamp";

    /// <summary>How the caller signed in: <see cref="Password"/> or <see cref="ApiKey"/>.</summary>
    public const string Method = "nova_auth_method";

    public const string ApiKeyId = "nova_api_key_id";

    public const string Password = "password";
    public const string ApiKey = "api_key";
}
