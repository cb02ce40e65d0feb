namespace Nova.Services.Rag.Model;

/// <summary>A named group of documents; <see cref="Visibility"/> says who may retrieve from it.</summary>
public sealed class Collection
{
    public const int MaxNameLength = 100;

    /// <summary>The visibility value that lets every signed-in user read a collection.</summary>
    public const string Everyone = "Everyone";

    /// <summary>The collection, visible to everyone, that holds documents added to (or left in) no other.</summary>
    public const string DefaultName = "General";

    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary><see cref="Everyone"/>, or the name of the role whose members may read it.</summary>
    public required string Visibility { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<DocumentCollection> Documents { get; set; } = [];
}
