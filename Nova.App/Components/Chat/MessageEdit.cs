namespace Nova.App.Components.Chat;

/// <summary>A new wording of an earlier question, to be sent as a version of it.</summary>
public sealed record MessageEdit(Guid MessageId, string Text, string IdempotencyKey);
