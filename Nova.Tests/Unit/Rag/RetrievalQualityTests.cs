using System.Text;
using Nova.Fakes;
using Nova.Services.Rag.Retrieval;

namespace Nova.Tests.Unit.Rag;

/// <summary>A small written corpus with known answers, run through the real pipeline (MiniLM, BM25, RRF).</summary>
public sealed class RetrievalQualityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly (string Id, string Text)[] Passages =
    [
        ("e4721", "Error E-4721: the pump controller reports that the impeller is blocked. Switch the pump off and remove debris from the intake."),
        ("e4712", "Error E-4712: the pump controller reports that the impeller speed sensor is faulty. Order a replacement sensor from service."),
        ("e4127", "Error E-4127: the pump controller reports that the impeller bearing is overheating. Let the pump cool down for an hour."),
        ("e7421", "Error E-7421: the pump controller reports that the impeller seal is leaking. Tighten the housing screws to 12 Nm."),
        ("px200", "Part PX-200 is the standard intake filter cartridge for the pump. It must be replaced every three months."),
        ("px220", "Part PX-220 is the fine intake filter cartridge for the pump, used for water with sand. It lasts about six weeks."),
        ("px2000", "Part PX-2000 is the pressure relief valve for the pump. It opens at 6 bar and should be tested once a year."),
        ("vacation", "Employees receive 28 days of paid vacation per year. Unused days can be carried over until the end of March."),
        ("expenses", "Travel expenses are reimbursed within 30 days when submitted with receipts through the finance portal."),
        ("password", "To reset a forgotten password, open the self-service page and confirm the code sent to your phone."),
        ("vpn", "The VPN client must be connected before you can reach internal systems from home. Install it from the software center."),
        ("parking", "Staff parking is in the underground garage, levels two and three. Visitors park at the front entrance."),
        ("fire", "During a fire alarm, leave the building by the nearest staircase and gather at the assembly point by the river. Never use the lifts."),
        ("onboarding", "New hires spend their first week with a buddy who shows them the tools, the team rituals and the codebase."),
        ("coffee", "The coffee machine is descaled every Friday afternoon; please empty the grounds container when the light blinks."),
        ("printer", "When the printer runs out of toner, take a new cartridge from the supply cabinet on the second floor."),
        ("rooms", "Meeting rooms are booked through the calendar; a booking is released if nobody checks in within ten minutes."),
        ("insurance", "Business trips abroad are covered by the company travel insurance, including medical emergencies and lost luggage."),
        ("remote", "Everyone may work remotely up to three days a week, as agreed with their manager."),
        ("laptop", "Laptops are replaced every four years; ask the IT desk for an earlier swap if the battery fails."),
        ("bugs", "Report bugs in the issue tracker with steps to reproduce, the expected behaviour and a screenshot."),
        ("releases", "Releases ship every second Tuesday after the regression suite passes on the staging environment."),
        ("review", "Every pull request needs one approving review from a code owner before it can be merged."),
        ("oncall", "The on-call engineer answers pages within fifteen minutes and hands over the rotation every Monday morning."),
        ("backup", "Databases are backed up every night at two o'clock, and backups are kept for thirty-five days."),
        ("retention", "Customer data is deleted two years after the contract ends, unless the law requires keeping it longer."),
        ("refunds", "Customers can return a product within 14 days for a full refund if it is unused and in its original box."),
        ("shipping", "Orders placed before noon are shipped the same day; delivery within the country takes one to two days."),
        ("warranty", "All devices carry a two-year warranty covering manufacturing defects but not accidental damage."),
        ("hours", "The office is open from seven in the morning until eight in the evening on weekdays."),
    ];

    private static readonly (string Question, string Answer)[] IdentifierQuestions =
    [
        ("What does error E-4712 mean?", "e4712"),
        ("How do I fix E-4721?", "e4721"),
        ("The display shows E-4127, what now?", "e4127"),
        ("What should I do about E-7421?", "e7421"),
        ("How often is PX-200 replaced?", "px200"),
        ("What is PX-2000?", "px2000"),
        ("How long does a PX-220 last?", "px220"),
        ("Tell me about PX-220", "px220"),
        ("E-4712", "e4712"),
    ];

    private static readonly (string Question, string Answer)[] GeneralQuestions =
    [
        ("How many days off do I get each year?", "vacation"),
        ("How do I get my money back for a business trip?", "expenses"),
        ("I forgot my login password", "password"),
        ("How can I access internal systems when working from home?", "vpn"),
        ("Where can I leave my car?", "parking"),
        ("What do I do when the fire alarm goes off?", "fire"),
        ("Who helps new employees in their first week?", "onboarding"),
        ("The printer has no toner left", "printer"),
        ("How often do we release new versions?", "releases"),
        ("How long are database backups kept?", "backup"),
        ("Can I return a product I bought?", "refunds"),
        ("When will my order arrive?", "shipping"),
        ("How many days per week can I work from home?", "remote"),
    ];

    [Fact]
    public async Task HybridFindsTheAnswerInTheTopFiveAndBeatsDenseOnIdentifiers()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Corpus");
        foreach (var (id, text) in Passages)
        {
            Assert.Equal(Nova.Services.Rag.Model.DocumentStatus.Ready, (await host.IngestAsync(Encoding.UTF8.GetBytes(text), id, library)).Status);
        }

        var all = IdentifierQuestions.Concat(GeneralQuestions).ToList();
        var hybridRecall = await RecallAtAsync(host, all, RetrievalMode.Hybrid, 5);
        var hybridIdentifiers = await MeanReciprocalRankAsync(host, IdentifierQuestions, RetrievalMode.Hybrid);
        var denseIdentifiers = await MeanReciprocalRankAsync(host, IdentifierQuestions, RetrievalMode.Dense);
        output.WriteLine($"recall@5 hybrid {hybridRecall:P0}; identifier MRR@5 hybrid {hybridIdentifiers:F3}, dense {denseIdentifiers:F3}");

        Assert.True(hybridRecall >= 0.9, $"hybrid recall@5 {hybridRecall:P0}");
        Assert.True(hybridIdentifiers > denseIdentifiers, $"identifier MRR@5: hybrid {hybridIdentifiers:F3}, dense {denseIdentifiers:F3}");
        Assert.Equal(1.0, await RecallAtAsync(host, IdentifierQuestions, RetrievalMode.Hybrid, 5));
    }

    [Fact]
    public async Task HitsCarryEveryScoreAndTheCitationFields()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Corpus");
        await host.IngestAsync(TestFiles.Pdf(["Pump manual"], ["Error E-4721 means the impeller is blocked."]), "manual.pdf", library);

        var hit = (await host.Retrieval.SearchAsync("E-4721 impeller blocked", RagTestHost.Admin, topK: 1)).Single();

        Assert.Equal("manual.pdf", hit.DocumentName);
        Assert.Equal(2, hit.Page);
        Assert.Contains("E-4721", hit.Snippet);
        Assert.NotNull(hit.DenseScore);
        Assert.NotNull(hit.LexicalScore);
        Assert.Equal(2.0 / (EmbeddedSearchIndex.RrfK + 1), hit.FusedScore, 6);
        Assert.Null(hit.RerankScore);
    }

    private static async Task<double> MeanReciprocalRankAsync(RagTestHost host, IReadOnlyList<(string Question, string Answer)> questions,
        RetrievalMode mode)
    {
        var sum = 0.0;
        foreach (var (question, answer) in questions)
        {
            var hits = await host.Retrieval.SearchAsync(question, RagTestHost.Admin, topK: 5, mode: mode);
            var rank = hits.ToList().FindIndex(h => h.DocumentName == answer);
            sum += rank < 0 ? 0 : 1.0 / (rank + 1);
        }
        return sum / questions.Count;
    }

    private async Task<double> RecallAtAsync(RagTestHost host, IReadOnlyList<(string Question, string Answer)> questions,
        RetrievalMode mode, int k)
    {
        var found = 0;
        foreach (var (question, answer) in questions)
        {
            var hits = await host.Retrieval.SearchAsync(question, RagTestHost.Admin, topK: k, mode: mode);
            var hit = hits.Any(h => h.DocumentName == answer);
            found += hit ? 1 : 0;
            if (!hit)
            {
                output.WriteLine($"{mode} missed '{question}' in the top {k}: {string.Join(", ", hits.Select(h => h.DocumentName))}");
            }
        }
        return (double)found / questions.Count;
    }
}
