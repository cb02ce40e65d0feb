using Nova.Services.Markdown;

namespace Nova.Tests.Unit.Markdown;

public sealed class IncrementalRenderingTests
{
    private readonly MarkdownRenderer _renderer = MarkdownTestRenderer.Create();

    [Fact]
    public void StreamedTokenByTokenItEqualsRenderingTheWholeTextAtEveryStep()
    {
        // Without highlighting, growing code looks the same as finished code, so every step compares.
        var renderer = MarkdownTestRenderer.Create(maxHighlightedCodeLength: 0);
        foreach (var answer in AnswerCorpus.Answers)
        {
            var incremental = renderer.CreateIncremental();
            var soFar = "";
            foreach (var token in AnswerCorpus.Tokens(answer))
            {
                soFar += token;
                Assert.Equal(renderer.Render(soFar), incremental.Append(token).Html());
            }
        }
    }

    [Fact]
    public void StreamedTokenByTokenAndCompletedItEqualsRenderingTheWholeText()
    {
        foreach (var answer in AnswerCorpus.Answers)
        {
            var incremental = _renderer.CreateIncremental();
            foreach (var token in AnswerCorpus.Tokens(answer))
            {
                incremental.Append(token);
            }

            Assert.Equal(_renderer.Render(answer), incremental.Complete().Html());
        }
    }

    [Fact]
    public void SplitInTwoAtEveryCharacterItEqualsRenderingTheWholeText()
    {
        foreach (var answer in AnswerCorpus.Answers.Take(5))
        {
            var whole = _renderer.Render(answer);
            for (var split = 0; split <= answer.Length; split++)
            {
                var incremental = _renderer.CreateIncremental();
                incremental.Update(answer[..split]);
                Assert.Equal(_renderer.Render(answer[..split]), incremental.Complete().Html());
                incremental.Update(answer);
                Assert.Equal(whole, incremental.Complete().Html());
            }
        }
    }

    [Fact]
    public void CodeStillBeingWrittenIsHighlightedOnceItsBlockIsFinishedOrTheAnswerComplete()
    {
        var incremental = _renderer.CreateIncremental();

        var growing = incremental.Update("```cs\npublic class A { }\n");
        Assert.DoesNotContain("tok-keyword", growing.Html());
        Assert.Contains("public class A { }", growing.Html());

        var finished = incremental.Update("```cs\npublic class A { }\n```\n\nAfter the code.\n\nMore");
        Assert.Contains("<span class=\"tok-keyword\">public</span>", finished[0].Html);

        incremental.Update("```cs\npublic class A { }\n```\n\nAfter the code.\n\nMore\n\n```cs\nclass B { }");
        Assert.Contains("<span class=\"tok-keyword\">class</span> B", incremental.Complete().Html());
    }

    [Fact]
    public void AnswersGluedTogetherStreamLineByLineToTheSameResult()
    {
        var answer = string.Join("\n\n", AnswerCorpus.Answers.Where(a => !a.Contains("unterminated")));
        var incremental = _renderer.CreateIncremental();

        foreach (var line in answer.Split('\n'))
        {
            incremental.Append(line + "\n");
        }

        Assert.Equal(_renderer.Render(answer + "\n"), incremental.Complete().Html());
    }

    [Fact]
    public void AReferenceBeforeItsDefinitionBecomesALinkWhenTheDefinitionArrives()
    {
        var incremental = _renderer.CreateIncremental();
        incremental.Append("See [the docs][d].\n\nMore text.\n\nEven more.\n\n");
        Assert.DoesNotContain("<a", incremental.Blocks[0].Html);

        foreach (var token in AnswerCorpus.Tokens("[d]: https://example.com/docs \"Docs\"\n"))
        {
            incremental.Append(token);
        }

        Assert.Contains("<a href=\"https://example.com/docs\" title=\"Docs\"", incremental.Blocks[0].Html);
        Assert.Equal(0, incremental.Blocks[0].Key);
    }

    [Fact]
    public void FinishedBlocksAreRenderedOnceAndUpdatesCostTheSameLateAsEarly()
    {
        var answer = string.Concat(Enumerable.Range(0, 40).Select(i =>
            $"## Part {i}\n\nSome text for part {i} with *emphasis* and a [link](https://example.com/{i}).\n\n" +
            $"- point one of {i}\n- point two of {i}\n\n```cs\nvar x{i} = {i};\n```\n\n"));
        var tokens = AnswerCorpus.Tokens(answer).ToList();
        var incremental = _renderer.CreateIncremental();
        var largestParse = 0;
        RenderedBlock? firstBlock = null;

        foreach (var token in tokens)
        {
            var rendersBefore = incremental.BlockRenders;
            var finishedBefore = incremental.FinishedBlocks;

            var blocks = incremental.Append(token);

            var finishedNow = incremental.FinishedBlocks - finishedBefore;
            Assert.InRange(incremental.BlockRenders - rendersBefore - finishedNow, 0, 2);
            largestParse = Math.Max(largestParse, incremental.LastParsedLength);
            if (incremental.FinishedBlocks > 0)
            {
                firstBlock ??= blocks[0];
                Assert.Same(firstBlock, blocks[0]);
            }
        }

        // Every finished block was rendered exactly once; only the growing ones repeat. The last
        // of the 160 blocks may still grow, so it is not finished.
        Assert.Equal(159, incremental.FinishedBlocks);
        Assert.InRange(largestParse, 1, 200);
        Assert.Equal(_renderer.Render(answer), incremental.Complete().Html());
    }

    [Fact]
    public void KeysStayWithTheirBlocksWhileTheAnswerGrows()
    {
        var incremental = _renderer.CreateIncremental();
        var early = incremental.Update("# Title\n\nFirst paragraph.\n\nSecond");
        var late = incremental.Update("# Title\n\nFirst paragraph.\n\nSecond paragraph, longer.\n\n- a list");

        Assert.Equal([0, 1, 2], early.Select(b => b.Key));
        Assert.Equal([0, 1, 2, 3], late.Select(b => b.Key));
        Assert.Same(early[0], late[0]);
        Assert.Equal("<p>Second</p>\n", early[2].Html);
        Assert.Equal("<p>Second paragraph, longer.</p>\n", late[2].Html);
    }

    [Fact]
    public void ASnapshotDoesNotChangeWhenLaterUpdatesArrive()
    {
        var incremental = _renderer.CreateIncremental();
        var snapshot = incremental.Update("one\n\ntwo\n\nthree");
        var html = snapshot.Html();

        for (var i = 0; i < 100; i++)
        {
            incremental.Append($"\n\nparagraph {i}");
        }

        Assert.Equal(html, snapshot.Html());
        Assert.Equal(3, snapshot.Count);
    }

    [Fact]
    public void TextThatDoesNotContinueTheLastOneStartsOver()
    {
        var incremental = _renderer.CreateIncremental();
        incremental.Update("# First try\n\nwith text\n\nand more");

        var blocks = incremental.Update("Second try");

        Assert.Equal("<p>Second try</p>\n", Assert.Single(blocks).Html);
        Assert.Equal(0, blocks[0].Key);
    }

    [Fact]
    public void AListItemNumberStillBeingTypedDoesNotCloseTheList()
    {
        var incremental = _renderer.CreateIncremental();
        incremental.Update("1. a\n\n2");

        var blocks = incremental.Update("1. a\n\n2. b");

        Assert.Equal(_renderer.Render("1. a\n\n2. b"), Assert.Single(blocks).Html);
    }
}
