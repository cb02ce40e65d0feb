namespace Nova.Services.Chat;

/// <summary>A chat operation refused; the message is written for the user.</summary>
public abstract class ChatException(string message) : Exception(message);

/// <summary>The conversation or message does not exist, or belongs to someone else (the two are not told apart).</summary>
public sealed class ChatNotFoundException() : ChatException("That conversation or message was not found.");

/// <summary>The input breaks a rule (too long, empty, out of range); nothing was stored.</summary>
public sealed class ChatValidationException(string message) : ChatException(message);

/// <summary>The user already runs as many generations as allowed; nothing was stored.</summary>
public sealed class ChatLimitException(string message) : ChatException(message);

/// <summary>The conversation is still writing an answer; nothing was stored.</summary>
public sealed class ChatConflictException(string message) : ChatException(message);
