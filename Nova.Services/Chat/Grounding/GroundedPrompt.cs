using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Nova.Services.Chat.Grounding;

/// <summary>A passage given to the model as source [<see cref="Number"/>]; <see cref="Text"/> is what the model read.</summary>
public sealed record GroundingSource(
    int Number,
    Guid ChunkId,
    Guid DocumentId,
    string DocumentName,
    int? Page,
    string HeadingPath,
    string Text,
    string Snippet,
    float? Score);

/// <summary>
/// A prompt with its sources. <see cref="Messages"/> is the prompt to send: unchanged when there are no
/// sources. <see cref="Searched"/> says whether there was anything to search (readable collections with
/// ready documents in scope), so "nothing relevant found" can be told from "no documents".
/// </summary>
public sealed record GroundedPrompt(IReadOnlyList<AiMessage> Messages, IReadOnlyList<GroundingSource> Sources, bool Searched);

/// <summary>A collection a user may ground a chat in, with how many of its documents are ready.</summary>
public sealed record GroundingCollection(Guid Id, string Name, int ReadyDocuments);
