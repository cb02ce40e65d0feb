using System.Text;
using Microsoft.Extensions.AI;
using Nova.Services.Chat;
using Nova.Services.Llm;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// A completion the client did not ask Nova to keep: the request's messages go to the model as given and
/// its answer is relayed as it arrives, with nothing written to the database. The response starts with the
/// model's first update, so a model that fails before answering is a 502 the client's retry policy sees.
/// </summary>
internal static class StatelessRelay
{
    public static async Task AnswerAsync(
        HttpContext context, StatelessCompletions completions, ResolvedModel model, ValidCompletion completion, int maxTokens, long created)
    {
        var aborted = context.RequestAborted;
        var writer = new CompletionWriter(context, completion, Guid.CreateVersion7(), created, maxTokens, withSources: false);
        var options = Options(completion, maxTokens);
        var whole = completion.Stream ? null : new StringBuilder();
        var opened = false;
        string? finishReason = null;
        UsageDetails? usage = null;
        try
        {
            await foreach (var update in completions.StreamAsync(model, Prompt(completion), options, aborted))
            {
                if (!opened && completion.Stream)
                {
                    await writer.OpenStreamAsync(null);
                    opened = true;
                }
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } text when whole is null:
                            await writer.WriteTextAsync(model.ModelId, text.Text);
                            break;
                        case TextContent text when whole is not null:
                            whole.Append(text.Text);
                            break;
                        case UsageContent counted:
                            usage = counted.Details;
                            break;
                    }
                }
                finishReason = update.FinishReason?.Value ?? finishReason;
            }
        }
        catch (Exception e) when (!aborted.IsCancellationRequested)
        {
            var failure = completions.DescribeFailure(e, model.ModelId);
            await (opened ? writer.FailStreamAsync(failure) : writer.WriteFailureAsync(failure));
            return;
        }
        var answered = Usage(usage);
        var finish = finishReason ?? (answered.CompletionTokens >= maxTokens ? "length" : "stop");
        if (whole is null)
        {
            if (!opened)
            {
                await writer.OpenStreamAsync(null);
            }
            await writer.EndStreamAsync(model.ModelId, finish, answered);
        }
        else
        {
            await writer.WriteWholeAsync(model.ModelId, whole.ToString(), finish, answered);
        }
    }

    /// <summary>
    /// The request's parameters as Microsoft.Extensions.AI options, which each backend's client puts in its own terms
    /// (Ollama: <c>options.temperature</c>, <c>num_predict</c>, <c>stop</c>, … and <c>format</c>). <c>user</c> has no
    /// such option: it goes to OpenAI-compatible servers as OpenAI's own request option, and Ollama has no use for it.
    /// </summary>
    private static ChatOptions Options(ValidCompletion completion, int maxTokens)
    {
        var sampling = completion.Sampling;
        var options = new ChatOptions
        {
            Temperature = (float?)completion.Temperature,
            MaxOutputTokens = maxTokens,
            TopP = (float?)sampling.TopP,
            StopSequences = sampling.Stop?.ToList(),
            Seed = sampling.Seed,
            PresencePenalty = (float?)sampling.PresencePenalty,
            FrequencyPenalty = (float?)sampling.FrequencyPenalty,
            ResponseFormat = sampling.ResponseFormat,
        };
        if (sampling.User is { } user)
        {
            options.RawRepresentationFactory = _ => new OpenAI.Chat.ChatCompletionOptions { EndUserId = user };
        }
        return options;
    }

    /// <summary>The request's messages in order, every role kept: the client's history is the conversation.</summary>
    private static List<ChatMessage> Prompt(ValidCompletion completion) =>
        [.. completion.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content))];

    private static ChatCompletionUsage Usage(UsageDetails? usage)
    {
        var prompt = (int)Math.Clamp(usage?.InputTokenCount ?? 0, 0, int.MaxValue);
        var completion = (int)Math.Clamp(usage?.OutputTokenCount ?? 0, 0, int.MaxValue);
        return new ChatCompletionUsage(prompt, completion, prompt + completion);
    }
}
