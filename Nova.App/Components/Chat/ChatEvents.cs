namespace Nova.App.Components.Chat;

/// <summary>
/// Per circuit: tells the drawer that the user's list of chats changed (a chat was created,
/// renamed, pinned or deleted from the page), so it reloads without a page reload.
/// </summary>
public sealed class ChatEvents
{
    public event Action? ConversationsChanged;

    public void NotifyConversationsChanged() => ConversationsChanged?.Invoke();
}
