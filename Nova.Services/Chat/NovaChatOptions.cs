using Nova.Services.Chat.Grounding;

namespace Nova.Services.Chat;

/// <summary>Bound from <c>Nova:Chat</c>: defaults for new turns, limits, and the pace of flushing and rendering.</summary>
public sealed class NovaChatOptions
{
    public const string Section = "Nova:Chat";

    /// <summary>The model for chats that pick none; null lets the model router choose its default.</summary>
    public string? DefaultModel { get; set; }

    public string? DefaultSystemPrompt { get; set; } =
        "You are Nova, a helpful assistant. Answer accurately and concisely, using Markdown where it helps.";

    public double DefaultTemperature { get; set; } = 0.7;

    public int DefaultMaxTokens { get; set; } = 2048;

    /// <summary>The most output tokens a chat may ask for; larger settings are clamped to it.</summary>
    public int MaxTokensLimit { get; set; } = 8192;

    /// <summary>
    /// The longest message a user may send, in characters, at most <see cref="MaxInputCharsCeiling"/>: a circuit's
    /// messages are sized from it, so it cannot grow without bound.
    /// </summary>
    public int MaxInputChars { get; set; } = 32_000;

    /// <summary>The largest <see cref="MaxInputChars"/> Nova starts with; longer texts belong in the document library.</summary>
    public const int MaxInputCharsCeiling = 200_000;

    public int MaxSystemPromptChars { get; set; } = 8_000;

    /// <summary>How much of the earlier conversation goes to the model, newest first, in characters.</summary>
    public int MaxHistoryChars { get; set; } = 100_000;

    public int MaxConcurrentGenerationsPerUser { get; set; } = 2;

    /// <summary>A streaming answer reaches the database at least this often.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Subscribers are told of new text at most this often (the first token and the end at once).</summary>
    public TimeSpan RenderInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Ask the model for a short title after the first answer.</summary>
    public bool GenerateTitles { get; set; } = true;

    /// <summary>Grounding answers in documents (<c>Nova:Chat:Documents</c>).</summary>
    public GroundingOptions Documents { get; set; } = new();
}
