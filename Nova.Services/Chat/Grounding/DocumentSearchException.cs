namespace Nova.Services.Chat.Grounding;

/// <summary>Searching the documents failed (embedding server, vector store or database), so the model was not asked.</summary>
internal sealed class DocumentSearchException(Exception inner) : Exception("Searching the documents failed.", inner);
