namespace Nova.App.Api.Limits;

/// <summary>Bound from <c>Nova:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Nova:Api";

    /// <summary>Largest request body the REST API reads; larger ones get 413 before any parsing.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}
