namespace Nova.Services.Rag.Model;

/// <summary>Membership of a document in a collection.</summary>
public sealed class DocumentCollection
{
    public Guid DocumentId { get; set; }

    public Document? Document { get; set; }

    public Guid CollectionId { get; set; }

    public Collection? Collection { get; set; }
}
