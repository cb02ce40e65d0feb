using System.Diagnostics;
using System.Text.Json;

namespace Nova.Bench.Relay;

/// <summary>Reads an OpenAI Chat Completions SSE stream and notes when each piece of text arrived.</summary>
public static class SseReader
{
    public static async Task<StreamTrace> ReadAsync(HttpClient http, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var message = request();
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"{message.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var arrivals = new List<long>();
        var lengths = new List<int>();
        var length = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }
            var now = Stopwatch.GetTimestamp();
            if (line.AsSpan(6).SequenceEqual("[DONE]"))
            {
                return new StreamTrace(started, [.. arrivals], [.. lengths]);
            }
            var text = DeltaText(line.AsMemory(6));
            if (text.Length > 0)
            {
                length += text.Length;
                arrivals.Add(now);
                lengths.Add(length);
            }
        }
        throw new InvalidOperationException($"{message.RequestUri}: the stream ended without [DONE].");
    }

    private static string DeltaText(ReadOnlyMemory<char> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"The stream carried an error: {error}");
        }
        if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("delta", out var delta)
            && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        return "";
    }
}
