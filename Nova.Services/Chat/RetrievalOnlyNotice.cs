namespace Nova.Services.Chat;

/// <summary>
/// The answer when no model is reachable. It says so plainly and says how to connect one: Nova
/// never pretends to be a language model.
/// </summary>
internal static class RetrievalOnlyNotice
{
    public const string Text =
        "**No language model is connected**, so this reply comes from Nova itself, not from a model.\n\n" +
        "To connect one, an administrator adds an endpoint under `Nova:Llm:Endpoints` in the configuration " +
        "(for example Ollama on `http://localhost:11434`, or any OpenAI-compatible server such as vLLM, TGI or " +
        "llama.cpp) and restarts Nova. Until then Nova can only answer from indexed documents, and no documents " +
        "are indexed yet.";
}
