namespace Nova.Services.Llm;

/// <summary>What Nova accepts as a model id, from configuration or from a server's list.</summary>
internal static class ModelIds
{
    public const int MaxLength = 256;

    public static bool IsValid(string? id) =>
        !string.IsNullOrWhiteSpace(id)
        && id.Length <= MaxLength
        && id.Trim().Length == id.Length
        && !id.Any(char.IsControl);
}
