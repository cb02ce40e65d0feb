namespace Nova.Services.Chat;

/// <summary>
/// A reserved place for one generation of a user in a conversation, taken before the turn is stored
/// so that a refused turn stores nothing. Disposing an unused slot gives the place back. While it is held,
/// this process owns the answer <see cref="MessageId"/>: it is being stored, written or its end stored.
/// </summary>
internal sealed class GenerationSlot(GenerationRegistry registry, string ownerId, Guid conversationId, Guid messageId) : IDisposable
{
    private int _released;

    public string OwnerId { get; } = ownerId;

    public Guid ConversationId { get; } = conversationId;

    public Guid MessageId { get; } = messageId;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            registry.Release(this);
        }
    }
}
