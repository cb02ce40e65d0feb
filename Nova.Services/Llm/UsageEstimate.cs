using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Nova.Services.Llm;

/// <summary>
/// Token counts for an answer whose model server reported none (or zero for a non-empty answer), so usage is
/// never zero for work that was done. Counted with OpenAI's cl100k_base, shipped in a package and read offline:
/// other models' tokenizers differ by some percent, which is why callers mark such figures as estimated.
/// </summary>
public static class UsageEstimate
{
    // Chat formats wrap each message in a few tokens of their own (role and separators), and prime the answer.
    private const int TokensPerMessage = 4;
    private const int TokensPerPrompt = 3;

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    /// <summary>
    /// The reported usage with what is missing counted: the prompt when it has no count, the answer when it has none
    /// or zero while <paramref name="answer"/> has text. <c>Estimated</c> says whether anything was counted here.
    /// </summary>
    public static (UsageDetails Usage, bool Estimated) Complete(UsageDetails? reported, IEnumerable<ChatMessage> prompt, string answer)
    {
        var input = reported?.InputTokenCount is > 0 ? reported.InputTokenCount : null;
        var output = reported?.OutputTokenCount is > 0 || (reported?.OutputTokenCount == 0 && answer.Length == 0) ? reported.OutputTokenCount : null;
        if (input is not null && output is not null)
        {
            return (reported!, false);
        }
        input ??= CountPrompt(prompt);
        output ??= answer.Length == 0 ? 0 : Tokenizer.Value.CountTokens(answer);
        return (new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output }, true);
    }

    /// <summary>The tokens of one text, as cl100k_base counts them.</summary>
    public static int CountTokens(string text) => Tokenizer.Value.CountTokens(text);

    private static int CountPrompt(IEnumerable<ChatMessage> prompt) =>
        TokensPerPrompt + prompt.Sum(message => TokensPerMessage + Tokenizer.Value.CountTokens(message.Text));
}
