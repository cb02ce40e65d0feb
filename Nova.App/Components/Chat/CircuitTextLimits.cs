namespace Nova.App.Components.Chat;

/// <summary>
/// How much typed text may cross the circuit, derived in this one place from <c>Nova:Chat:MaxInputChars</c>. Text
/// boxes that send what is typed to the server (the composer, the field that edits a sent question) keep text past
/// <see cref="HardLimit"/> in the browser, and the hub accepts a message carrying any text up to that length: a
/// message over the hub's limit would end the circuit, and the draft with it.
/// </summary>
public static class CircuitTextLimits
{
    /// <summary>
    /// The most bytes one character of a box's value takes in an event's JSON: a control character is escaped as
    /// <c>\uXXXX</c> (other characters take at most 3 bytes of UTF-8).
    /// </summary>
    public const int MaxBytesPerChar = 6;

    // Up to this many times the limit, the text reaches the server, which says how much too long it is.
    private const int HardLimitFactor = 2;

    // The rest of the hub message: the event's envelope, its ids and its other fields.
    private const int EnvelopeBytes = 64 * 1024;

    // Other circuit messages (JS interop results) keep at least the room they had.
    private const int MinimumHubMessageBytes = 512 * 1024;

    /// <summary>The longest text a box sends to the server; past it the text stays in the browser.</summary>
    public static int HardLimit(int maxInputChars) => maxInputChars * HardLimitFactor;

    /// <summary>The hub's <c>MaximumReceiveMessageSize</c>: room for an event carrying <see cref="HardLimit"/> characters.</summary>
    public static long HubMessageBytes(int maxInputChars) =>
        Math.Max(MinimumHubMessageBytes, (long)HardLimit(maxInputChars) * MaxBytesPerChar + EnvelopeBytes);
}
