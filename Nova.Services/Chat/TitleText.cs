using System.Text;

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

    /// <summary>Control characters and runs of white space become one space; null when nothing is left.</summary>
    public static string? Clean(string text, int maxLength = MaxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
            if (builder.Length > maxLength)
            {
                break;
            }
        }
        if (builder.Length == 0)
        {
            return null;
        }
        if (builder.Length <= maxLength)
        {
            return builder.ToString();
        }
        var cut = char.IsHighSurrogate(builder[maxLength - 2]) ? maxLength - 2 : maxLength - 1;
        return builder.ToString(0, cut).TrimEnd() + "…";
    }
}
