using System.Globalization;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Parsing;

namespace Nova.App.Components.Pages.Admin.Documents;

/// <summary>How documents read on the admin page: states, stage names, types, sizes and ages.</summary>
internal static class DocumentDisplay
{
    /// <summary>The three states the table (and its tests) tell apart: <c>processing</c>, <c>ready</c>, <c>failed</c>.</summary>
    public static string State(DocumentStatus status) => status switch
    {
        DocumentStatus.Ready => "ready",
        DocumentStatus.Failed => "failed",
        _ => "processing",
    };

    public static string Stage(DocumentStatus status) => status switch
    {
        DocumentStatus.Uploaded => "Uploaded",
        DocumentStatus.Parsing => "Parsing",
        DocumentStatus.Chunking => "Chunking",
        DocumentStatus.Embedding => "Embedding",
        DocumentStatus.Ready => "Indexed",
        _ => "Failed",
    };

    /// <summary>Where the document is among the five stages, from 1 (uploaded) to 5 (indexed).</summary>
    public static int StageNumber(DocumentStatus status) => status switch
    {
        DocumentStatus.Uploaded => 1,
        DocumentStatus.Parsing => 2,
        DocumentStatus.Chunking => 3,
        DocumentStatus.Embedding => 4,
        _ => 5,
    };

    public const int StageCount = 5;

    public static string Type(DocumentInfo document) => DocumentKinds.FromContentType(document.ContentType) switch
    {
        DocumentKind.Pdf => "PDF",
        DocumentKind.Docx => "DOCX",
        DocumentKind.Html => "HTML",
        DocumentKind.Markdown => "Markdown",
        DocumentKind.Text => "Text",
        _ => document.SourceUrl is null ? "—" : "Web page",
    };

    public static string TypeIcon(DocumentInfo document) => document.SourceUrl is not null
        ? MudBlazor.Icons.Material.Rounded.Language
        : DocumentKinds.FromContentType(document.ContentType) switch
        {
            DocumentKind.Pdf => MudBlazor.Icons.Material.Rounded.PictureAsPdf,
            DocumentKind.Docx => MudBlazor.Icons.Material.Rounded.Description,
            DocumentKind.Html => MudBlazor.Icons.Material.Rounded.Code,
            _ => MudBlazor.Icons.Material.Rounded.Article,
        };

    public static string Size(long bytes) => bytes switch
    {
        <= 0 => "—",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    public static string Count(int? value) => value is null ? "—" : value.Value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>An age that needs no time zone ("5 min ago"); older than a week, the UTC date.</summary>
    public static string Age(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalMinutes switch
        {
            < 1 => "just now",
            < 60 => $"{(int)age.TotalMinutes} min ago",
            < 60 * 24 => $"{(int)age.TotalHours} h ago",
            < 60 * 24 * 7 => $"{(int)age.TotalDays} d ago",
            _ => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A score to three significant places, or a dash when that method did not find the passage.</summary>
    public static string Score(double? score) => score is { } s ? s.ToString(Math.Abs(s) >= 1 ? "0.00" : "0.0000", CultureInfo.InvariantCulture) : "—";
}
