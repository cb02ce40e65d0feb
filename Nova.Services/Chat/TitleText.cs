using Nova.Services.Text;

namespace Nova.Services.Chat;

/// <summary>Chat titles are plain text on one line, whatever the user or the model wrote.</summary>
internal static class TitleText
{
    public const string NewChat = "New chat";
    public const int MaxLength = 80;

    /// <summary>The start of the first question, for when no model names the chat.</summary>
    public static string FromMessage(string message) => Clean(message) ?? NewChat;

    /// <summary>A model's answer to "name this chat": its first line, without quotes or markdown decoration.</summary>
    public static string? FromModel(string answer)
    {
        var firstLine = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return firstLine is null ? null : Clean(firstLine.Trim('"', '\'', '#', '*', '_', '`', ' ', '“', '”'));
    }

    /// <summary>One line of visible text (see <see cref="PlainText"/>); null when nothing is left.</summary>
    public static string? Clean(string text, int maxLength = MaxLength) => PlainText.Clean(text, maxLength);
}
