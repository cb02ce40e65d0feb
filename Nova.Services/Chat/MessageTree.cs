using Nova.Services.Chat.Data;

namespace Nova.Services.Chat;

/// <summary>The messages of one conversation as a tree of versions, and the branch on screen.</summary>
internal sealed class MessageTree
{
    private readonly Dictionary<Guid, ChatMessage> _byId;
    private readonly ILookup<Guid?, ChatMessage> _children;

    public MessageTree(IEnumerable<ChatMessage> messages)
    {
        _byId = messages.ToDictionary(m => m.Id);
        _children = _byId.Values.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToLookup(m => m.ParentId);
    }

    public bool IsEmpty => _byId.Count == 0;

    public ChatMessage? Find(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>The message and its versions, oldest first.</summary>
    public IReadOnlyList<ChatMessage> Siblings(ChatMessage message) =>
        [.. _children[message.ParentId].Where(m => m.Role == message.Role)];

    /// <summary>From the first message down to <paramref name="leafId"/>; the newest branch when the leaf is unknown.</summary>
    public IReadOnlyList<ChatMessage> Path(Guid? leafId)
    {
        var leaf = leafId is { } id ? Find(id) : null;
        leaf ??= NewestLeafUnder(null);
        return leaf is null ? [] : Ancestry(leaf);
    }

    /// <summary>The message and everything before it, first message first.</summary>
    public IReadOnlyList<ChatMessage> Ancestry(ChatMessage message)
    {
        List<ChatMessage> path = [];
        var seen = new HashSet<Guid>();
        for (var m = message; m is not null && seen.Add(m.Id); m = m.ParentId is { } p ? Find(p) : null)
        {
            path.Add(m);
        }
        path.Reverse();
        return path;
    }

    /// <summary>Following the newest reply at every step: what opens when a version is picked.</summary>
    public ChatMessage? NewestLeafUnder(ChatMessage? message)
    {
        var current = message;
        var seen = new HashSet<Guid>();
        while (_children[current?.Id].LastOrDefault() is { } next && seen.Add(next.Id))
        {
            current = next;
        }
        return current;
    }
}
