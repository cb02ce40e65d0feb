namespace Nova.App.Components.Layout;

/// <summary>What a shortcut does in the page: click or focus the element with that test id, or show the help.</summary>
public enum ShortcutAction
{
    Click,
    Focus,
    Help,
}

/// <summary>
/// One keyboard shortcut. <see cref="Key"/> is a KeyboardEvent.key; <see cref="Primary"/> means Ctrl
/// (⌘ on a Mac). Shortcuts without a modifier only fire when the focus is not in a text field.
/// </summary>
public sealed record KeyboardShortcut(string Keys, string Description, string Key, bool Primary, bool Shift, ShortcutAction Action, string? Target = null)
{
    /// <summary>The one list: the key handler and the help dialog both read it.</summary>
    public static readonly IReadOnlyList<KeyboardShortcut> All =
    [
        new("Ctrl+Shift+O", "New chat", "o", Primary: true, Shift: true, ShortcutAction.Click, "new-chat"),
        new("/", "Focus the message box", "/", Primary: false, Shift: false, ShortcutAction.Focus, "chat-input"),
        new("Shift+Esc", "Focus the message box", "Escape", Primary: false, Shift: true, ShortcutAction.Focus, "chat-input"),
        new("Esc", "Stop the answer being written", "Escape", Primary: false, Shift: false, ShortcutAction.Click, "stop"),
        new("Ctrl+Shift+S", "Show or hide the chat list", "s", Primary: true, Shift: true, ShortcutAction.Click, "drawer-toggle"),
        new("Ctrl+,", "Open settings", ",", Primary: true, Shift: false, ShortcutAction.Click, "open-settings"),
        new("Ctrl+/", "Show these shortcuts", "/", Primary: true, Shift: false, ShortcutAction.Help),
    ];
}
