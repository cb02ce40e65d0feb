namespace Nova.Services.Chat.Grounding;

/// <summary>How a chat uses documents.</summary>
public enum DocumentScopeKind
{
    /// <summary>Every collection the user may read when the question is asked (the default for a new chat).</summary>
    All,

    /// <summary>Only the chosen collections, and of those only the ones the user may still read.</summary>
    Collections,

    /// <summary>No documents: the model answers on its own.</summary>
    Off,
}

/// <summary>The documents a chat (or one API request) is grounded in.</summary>
public sealed record DocumentScope(DocumentScopeKind Kind, IReadOnlyList<Guid> CollectionIds)
{
    public static DocumentScope All { get; } = new(DocumentScopeKind.All, []);

    public static DocumentScope Off { get; } = new(DocumentScopeKind.Off, []);

    public static DocumentScope Only(IEnumerable<Guid> collectionIds) => new(DocumentScopeKind.Collections, [.. collectionIds.Distinct()]);
}
