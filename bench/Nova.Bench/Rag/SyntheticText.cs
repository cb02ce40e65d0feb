namespace Nova.Bench.Rag;

/// <summary>
/// Deterministic prose-like text: stands in for document text where only its size and shape matter
/// (embedding cost, chunk counts, BM25 postings). Half the words come from a few dozen common ones,
/// half from a long tail of thousands of made-up words, drawn so that few are frequent and most are
/// rare, as in real text; a vocabulary of common words alone would make every BM25 posting list span
/// the whole corpus.
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

    private static readonly string[] Syllables =
        ["ka", "lo", "mi", "ter", "van", "dor", "sel", "ru", "pha", "gen", "tor", "lis", "qua", "ber", "nox", "fi"];

    private static readonly string[] RareWords = [.. Enumerable.Range(0, 5_000).Select(MadeUpWord)];

    private readonly Random _random = new(seed);

    /// <summary>About <paramref name="words"/> words in sentences of 8 to 20.</summary>
    public string Paragraph(int words)
    {
        var text = new System.Text.StringBuilder();
        var sentence = 0;
        for (var i = 0; i < words; i++)
        {
            var word = NextWord();
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

    private string NextWord()
    {
        if (_random.Next(2) == 0)
        {
            return Words[_random.Next(Words.Length)];
        }
        // Cubing a uniform draw favours the low indexes: a few tail words are frequent, most are rare.
        var u = _random.NextDouble();
        return RareWords[(int)(u * u * u * RareWords.Length)];
    }

    private static string MadeUpWord(int index)
    {
        var word = new System.Text.StringBuilder();
        for (var n = index + Syllables.Length; n > 0; n /= Syllables.Length)
        {
            word.Append(Syllables[n % Syllables.Length]);
        }
        return word.ToString();
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
