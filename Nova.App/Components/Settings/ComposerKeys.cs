namespace Nova.App.Components.Settings;

/// <summary>How the message box's keys work under the Enter-to-send preference, in words for the user.</summary>
public static class ComposerKeys
{
    public static string Hint(bool enterToSend) =>
        enterToSend ? "Enter to send · Shift+Enter for a new line" : "Ctrl+Enter to send · Enter for a new line";

    public static string SendKey(bool enterToSend) => enterToSend ? "Enter" : "Ctrl+Enter";
}
