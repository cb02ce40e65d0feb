namespace Nova.Services.Llm;

/// <summary>A model's stream ended cleanly but without saying it had finished: the answer is partial.</summary>
public sealed class IncompleteResponseException(string message) : Exception(message);
