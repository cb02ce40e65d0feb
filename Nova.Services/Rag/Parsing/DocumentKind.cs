namespace Nova.Services.Rag.Parsing;

public enum DocumentKind
{
    Pdf,
    Docx,
    Html,
    Markdown,
    Text,
}

public static class DocumentKinds
{
    public static string ContentType(this DocumentKind kind) => kind switch
    {
        DocumentKind.Pdf => "application/pdf",
        DocumentKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        DocumentKind.Html => "text/html",
        DocumentKind.Markdown => "text/markdown",
        _ => "text/plain",
    };

    public static DocumentKind? FromContentType(string? contentType) => contentType switch
    {
        "application/pdf" => DocumentKind.Pdf,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => DocumentKind.Docx,
        "text/html" => DocumentKind.Html,
        "text/markdown" => DocumentKind.Markdown,
        "text/plain" => DocumentKind.Text,
        _ => null,
    };
}
