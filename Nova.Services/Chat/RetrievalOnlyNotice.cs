using System.Text;
using Nova.Services.Chat.Grounding;
using Nova.Services.Markdown;

namespace Nova.Services.Chat;

/// <summary>
/// The answer when no model is reachable. It says so plainly and says how to connect one: Nova
/// never pretends to be a language model. When the documents hold passages that match the question,
/// it lists them, cited, so the user still gets what Nova can give.
/// </summary>
internal static class RetrievalOnlyNotice
{
    private const string NoModel =
        "**No language model is connected**, so this reply comes from Nova itself, not from a model.";

    private const string HowToConnect =
        "To connect one, an administrator adds an endpoint under `Nova:Llm:Endpoints` in the configuration " +
        "(for example Ollama on `http://localhost:11434`, or any OpenAI-compatible server such as vLLM, TGI or " +
        "llama.cpp) and restarts Nova.";

    public const string Text =
        NoModel + "\n\n" + HowToConnect + " Until then Nova can only answer from indexed documents, and no documents " +
        "are indexed yet.";

    public const string NothingFound =
        NoModel + " None of your documents has a passage that matches the question closely enough.\n\n" + HowToConnect;

    /// <summary>The reply for a question whose documents were searched (or not) as <paramref name="grounded"/> says.</summary>
    public static string For(GroundedPrompt grounded)
    {
        if (grounded.Sources.Count == 0)
        {
            return grounded.Searched ? NothingFound : Text;
        }
        var reply = new StringBuilder(NoModel)
            .Append(" These are the passages of your documents that best match your question:\n\n");
        foreach (var source in grounded.Sources)
        {
            reply.Append("- **").Append(MarkdownText.Escape(source.DocumentName)).Append("**");
            if (source.Page is { } page)
            {
                reply.Append(", page ").Append(page);
            }
            if (source.HeadingPath.Length > 0)
            {
                reply.Append(" — ").Append(MarkdownText.Escape(source.HeadingPath));
            }
            reply.Append(" [").Append(source.Number).Append("]\n  > ").Append(MarkdownText.Escape(source.Snippet)).Append('\n');
        }
        return reply.Append('\n').Append(HowToConnect).ToString();
    }
}
