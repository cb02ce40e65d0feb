namespace Nova.Bench.Rag;

/// <summary>
/// Deterministic prose-like text from a fixed vocabulary: stands in for document text where only its
/// size and shape matter (embedding cost, chunk counts, BM25 postings).
/// </summary>
public sealed class SyntheticText(int seed)
{
    private static readonly string[] Words =
    [
        "pump", "valve", "seal", "pressure", "controller", "housing", "impeller", "sensor", "torque", "screw",
        "maintenance", "schedule", "inspection", "warranty", "customer", "invoice", "policy", "employee", "travel", "expense",
        "network", "server", "backup", "restore", "certificate", "password", "account", "access", "report", "quarter",
        "revenue", "forecast", "budget", "contract", "supplier", "delivery", "shipment", "warehouse", "inventory", "order",
        "the", "a", "of", "and", "to", "in", "is", "for", "with", "on", "must", "should", "before", "after", "every", "each",
        "temperature", "flow", "rate", "limit", "alarm", "error", "code", "manual", "procedure", "step", "check", "replace",
    ];

    private readonly Random _random = new(seed);

    /// <summary>About <paramref name="words"/> words in sentences of 8 to 20.</summary>
    public string Paragraph(int words)
    {
        var text = new System.Text.StringBuilder();
        var sentence = 0;
        for (var i = 0; i < words; i++)
        {
            var word = Words[_random.Next(Words.Length)];
            text.Append(sentence == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            sentence++;
            if (sentence >= 8 && (_random.Next(12) == 0 || sentence == 20))
            {
                text.Append(". ");
                sentence = 0;
            }
            else
            {
                text.Append(' ');
            }
        }
        return text.ToString().TrimEnd() + ".";
    }

    /// <summary>Lines of about <paramref name="width"/> characters, for PDF pages.</summary>
    public string[] Lines(int count, int width)
    {
        var lines = new string[count];
        for (var i = 0; i < count; i++)
        {
            var line = Paragraph(width / 7);
            lines[i] = line.Length > width ? line[..width] : line;
        }
        return lines;
    }
}
