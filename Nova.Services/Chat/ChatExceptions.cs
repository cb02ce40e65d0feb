namespace Nova.Services.Chat;

/// <summary>A chat operation refused; the message is written for the user.</summary>
public abstract class ChatException(string message) : Exception(message);

/// <summary>The conversation or message does not exist, or belongs to someone else (the two are not told apart).</summary>
public sealed class ChatNotFoundException() : ChatException("That conversation or message was not found.");

/// <summary>The input breaks a rule (too long, empty, out of range); nothing was stored.</summary>
public sealed class ChatValidationException(string message) : ChatException(message);

/// <summary>The user already runs as many generations as allowed; nothing was stored.</summary>
public sealed class ChatLimitException(string message) : ChatException(message);

/// <summary>This server is stopping and takes no new answers; nothing was stored. Another replica (or this one, restarted) will.</summary>
public sealed class ChatUnavailableException() : ChatException("This Nova server is restarting. Send again in a moment; your chat is kept.");

/// <summary>The conversation is still writing an answer; nothing was stored.</summary>
public sealed class ChatConflictException(string message) : ChatException(message);

/// <summary>
/// The user sent more chat requests than their allowance (<c>Nova:RateLimits</c>), which the chat page and the
/// REST API share; nothing was stored. <see cref="RetryAfter"/> says when the next one will be taken.
/// </summary>
public sealed class ChatRateLimitException(TimeSpan retryAfter) : ChatException(Describe(retryAfter))
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>The wait in whole seconds, at least one, as a <c>Retry-After</c> header gives it.</summary>
    public int RetryAfterSeconds => Seconds(RetryAfter);

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static string Describe(TimeSpan wait) => $"You're sending messages too fast. Try again in {Seconds(wait)} s.";
}
