using System.ClientModel;
using System.Security.Cryptography;
using Nova.Services.Chat.Grounding;

namespace Nova.Services.Chat;

/// <summary>
/// Turns a backend fault into a sentence a user can act on, with a reference under which the fault itself is
/// logged. The exception's own text never reaches the user: it may name internal addresses or repeat what a
/// model server answered.
/// </summary>
internal static class FailureReason
{
    public const string EmptyAnswer = "The model ended its answer without any text.";

    /// <summary>A short id to quote to an operator, who finds it in the log next to the exception.</summary>
    public static string NewReference() => Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    public static string Describe(Exception exception, string reference)
    {
        var reason = exception switch
        {
            DocumentSearchException =>
                "Searching your documents failed, so the model was not asked. Try again, or turn documents off for this chat.",
            _ when StatusOf(exception) is { } status => status switch
            {
                429 => "The model server is busy (HTTP 429). Try again in a moment.",
                401 or 403 => $"The model server refused Nova's credentials (HTTP {status}).",
                404 => "The model server does not serve this model (HTTP 404).",
                _ => $"The model server failed (HTTP {status}).",
            },
            HttpRequestException => "The model server could not be reached.",
            TimeoutException or OperationCanceledException => "The model did not answer in time.",
            _ => "The model failed to answer.",
        };
        return $"{reason} (reference {reference})";
    }

    /// <summary>The HTTP status a model server answered with, as Ollama's client and the OpenAI SDK each report it.</summary>
    private static int? StatusOf(Exception exception) => exception switch
    {
        HttpRequestException { StatusCode: { } status } => (int)status,
        ClientResultException { Status: > 0 } failed => failed.Status,
        _ => null,
    };
}
