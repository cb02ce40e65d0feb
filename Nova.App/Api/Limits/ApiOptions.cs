namespace Nova.App.Api.Limits;

/// <summary>Bound from <c>Nova:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Nova:Api";

    /// <summary>Largest request body the REST API reads; larger ones get 413 before any parsing.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Files one <c>POST /documents</c> may carry. With <c>Nova:Rag:MaxFileBytes</c> it sets that
    /// endpoint's body limit, which replaces <see cref="MaxBodyBytes"/> there.
    /// </summary>
    public int MaxUploadFiles { get; set; } = 10;

    /// <summary>
    /// How long a chat completion that failed (or whose client went away) is remembered, so that the
    /// same request from the same user, retried within this time, continues that chat instead of
    /// starting another.
    /// </summary>
    public TimeSpan CompletionRetryWindow { get; set; } = TimeSpan.FromMinutes(5);
}
