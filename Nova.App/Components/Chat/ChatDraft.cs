namespace Nova.App.Components.Chat;

/// <summary>What the user asks to send, with the key that makes a repeated send the same turn.</summary>
public sealed record ChatDraft(string Text, string IdempotencyKey);
