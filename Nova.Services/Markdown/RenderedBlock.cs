namespace Nova.Services.Markdown;

/// <summary>
/// One top-level block of a message being written, as sanitized HTML. <see cref="Key"/> is the
/// block's position in the message and never changes, so a component can use it with
/// <c>@key</c> and only the DOM of the block that changed is touched. <see cref="Growing"/> marks the
/// last block(s) of an answer still being written, whose HTML changes with the next tokens.
/// </summary>
public sealed record RenderedBlock(int Key, string Html, bool Growing = false);
