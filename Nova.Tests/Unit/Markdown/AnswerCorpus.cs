using System.Text.RegularExpressions;

namespace Nova.Tests.Unit.Markdown;

/// <summary>Answers shaped like what chat models write, for the incremental == whole checks.</summary>
internal static partial class AnswerCorpus
{
    public static IReadOnlyList<string> Answers { get; } =
    [
        """
        # Setting up the project

        Here is how to get **started** with _Nova_:

        1. Install the SDK.
        2. Run `dotnet build`.

        3. Start the app:

           ```bash
           dotnet run --project Nova.App
           ```

        > **Note:** the first start creates the database.
        > It may take a few seconds.

        That's it!
        """,
        """
        Comparison
        ==========

        | Option | Speed | Notes |
        |:-------|------:|:-----:|
        | SQLite | fast  | embedded |
        | PostgreSQL | faster | needs a server |
        | `InMemory` | fastest | tests only |

        The table above is *not* exhaustive.
        ---

        Sub heading
        -----------
        - item one
        - item two
          - nested a
          - nested b

            continued paragraph in nested b
        - item three

        * another list
        + and another
        """,
        """
        ```cs
        public sealed class Greeter(TimeProvider clock)
        {
            // Says hello with the time.
            public string Greet(string name) => $"Hello {name}, it is {clock.GetUtcNow():t}";
        }
        ```

        ```python
        def fib(n: int) -> int:
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        ```

        ```json
        { "name": "nova", "version": 1, "tags": ["a", "b"], "ok": true }
        ```

            indented code block
            second line

        ```
        plain fence without a language
        ```
        """,
        """
        Steps:

        - [x] write the code
        - [ ] test it
        - [ ] ship it

        See https://example.com/docs and www.example.org, or write to <mailto:team@example.com>.
        Also <https://example.net/path?q=1&r=2>.

        ~~Old way~~ new way, H~2~O, 2^10^, ==marked== and ++inserted++.

        ***

        a. first
        b. second

        2024 was a good year.
        2025 too.
        """,
        """
        According to the documentation [1] and the guide [2], references work.
        The [spec][cm] is clear, and [Nova] too.

        ![diagram](https://example.com/diagram.png "Diagram")

        1. first
        2. second

        10. ten
        11. eleven

        [1]: https://example.com/one
        [2]: https://example.com/two "Guide"
        [cm]: <https://spec.commonmark.org/> 'CommonMark'
        [nova]: https://nova.example
        """,
        """
        > A quote with a list:
        > - one
        > - two
        >
        > > nested quote with `code`

        Line with trailing spaces  
        hard break above. A backslash\
        break too.

        | no | outer pipes
        |----|----
        | a | b

        Term <not html> & ampersands &amp; entities &copy; &#169;.

        ```ts
        const x: number = 1; // unterminated fence at the end
        """,
        """
        [home]: https://nova.example/home "Home"
        [Spec]: https://spec.commonmark.org/

        Definitions first. The [home] page and the [spec][SPEC] are used below.

        - see [home]
        - and [the spec][spec]

        Again: [home], ![logo][home] and [unknown].
        """,
        """
        Short answer: **yes**.

        Longer answer:

        1) first item
        2) second item

        * star item

            code inside list? no, paragraph

        Final paragraph with a [link](https://example.com/a_(b)) and an email a@b.co.
        """,
    ];

    /// <summary>Splits like a model's tokenizer roughly does: words, spaces and single symbols.</summary>
    public static IEnumerable<string> Tokens(string text) =>
        TokenPattern().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"[A-Za-z]+|[0-9]+|[ \t]+|\r?\n|.", RegexOptions.Singleline)]
    private static partial Regex TokenPattern();
}
