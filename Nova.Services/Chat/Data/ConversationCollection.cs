namespace Nova.Services.Chat.Data;

/// <summary>A collection a chat is narrowed to (<see cref="Grounding.DocumentScopeKind.Collections"/>).</summary>
public sealed class ConversationCollection
{
    public Guid ConversationId { get; set; }

    public Guid CollectionId { get; set; }
}
