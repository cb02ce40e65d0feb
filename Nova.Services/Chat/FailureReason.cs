using System.Net;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;

namespace Nova.Services.Chat;

/// <summary>Turns a backend fault into a sentence a user can act on.</summary>
internal static class FailureReason
{
    public const string EmptyAnswer = "The model ended its answer without any text.";

    public static string Describe(Exception exception)
    {
        var reason = exception switch
        {
            DocumentSearchException =>
                "Searching your documents failed, so the model was not asked. Try again, or turn documents off for this chat.",
            HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } =>
                "The model server is busy (HTTP 429). Try again in a moment.",
            HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } e =>
                $"The model server refused Nova's credentials (HTTP {(int)e.StatusCode!}).",
            HttpRequestException { StatusCode: HttpStatusCode.NotFound } =>
                "The model server does not serve this model (HTTP 404).",
            HttpRequestException { StatusCode: { } status } =>
                $"The model server failed (HTTP {(int)status}).",
            HttpRequestException e => $"The model server could not be reached: {e.Message}",
            TimeoutException or OperationCanceledException => "The model did not answer in time.",
            _ => $"The model failed: {exception.Message}",
        };
        return Clean(reason);
    }

    private static string Clean(string text)
    {
        var cleaned = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return cleaned.Length <= ChatMessage.MaxErrorLength ? cleaned : cleaned[..(ChatMessage.MaxErrorLength - 1)] + "…";
    }
}
