namespace Nova.Services.Rag.Chunking;

/// <summary>Counts tokens the way the embedding model will see them.</summary>
public interface ITokenCounter
{
    int Count(string text);
}
