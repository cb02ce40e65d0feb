using Nova.Services.Text;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Makes an untrusted file name safe to show: no control, bidirectional-override or other format
/// characters (which can disguise "exe.pdf"), whitespace collapsed, length capped. It is display text
/// only and is never used to build a path.
/// </summary>
public static class DisplayNames
{
    /// <summary>
    /// An uploaded file's name without any folders a client put before it ("../../etc/passwd.pdf" is
    /// "passwd.pdf"): browsers send bare names, so anything before a slash is noise at best.
    /// </summary>
    public static string FromFileName(string? fileName)
    {
        var name = fileName ?? "";
        var lastSeparator = name.LastIndexOfAny(['/', '\\']);
        return Clean(lastSeparator < 0 ? name : name[(lastSeparator + 1)..]);
    }

    public static string Clean(string? name, string fallback = "Untitled document") =>
        PlainText.Clean(name, Model.Document.MaxDisplayNameLength) ?? fallback;
}
