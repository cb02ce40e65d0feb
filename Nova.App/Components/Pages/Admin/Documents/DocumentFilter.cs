using Nova.Services.Rag.Model;

namespace Nova.App.Components.Pages.Admin.Documents;

/// <summary>The table's status filter: the three states an admin tells apart.</summary>
public enum DocumentFilter
{
    All,
    Processing,
    Ready,
    Failed,
}

internal static class DocumentFilters
{
    public static string Label(this DocumentFilter filter) => filter switch
    {
        DocumentFilter.All => "All documents",
        DocumentFilter.Processing => "Processing",
        DocumentFilter.Ready => "Ready",
        _ => "Failed",
    };

    public static IReadOnlyCollection<DocumentStatus>? Statuses(this DocumentFilter filter) => filter switch
    {
        DocumentFilter.Processing => [DocumentStatus.Uploaded, DocumentStatus.Parsing, DocumentStatus.Chunking, DocumentStatus.Embedding],
        DocumentFilter.Ready => [DocumentStatus.Ready],
        DocumentFilter.Failed => [DocumentStatus.Failed],
        _ => null,
    };
}
