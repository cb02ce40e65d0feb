using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Nova.Tests.Infrastructure;
using Nova.Tests.Unit.Chat;
using Xunit.Abstractions;

namespace Nova.Tests.ScaleOut;

/// <summary>
/// Issue 13's proof: two replicas behind HAProxy on one PostgreSQL and one Redis share everything, and nothing is
/// lost when one stops or dies. Each test leaves both replicas and Redis running for the next.
/// </summary>
[Collection(nameof(ReplicaPairCollection))]
public sealed class ReplicaPairTests(ReplicaPair pair, BrowserFixture browser, ITestOutputHelper output)
{
    private const string Model = "fake-model";

    [Fact]
    public async Task ASessionStartedThroughTheProxyWorksOnBothReplicas()
    {
        var token = await pair.TokenAsync();

        foreach (var replica in new[] { 0, 1 })
        {
            using var client = await pair.ClientAsync(replica, token);
            using var me = await client.GetFromJsonAsync<JsonDocument>("api/v1/auth/me");
            Assert.Equal(ReplicaPair.AdminEmail, me!.RootElement.GetProperty("email").GetString());
        }
    }

    [Fact]
    public async Task ADocumentUploadedThroughAIsCitedThroughBWithinFiveSeconds()
    {
        pair.Model.Answer = "Every 500 operating hours [1].";
        pair.Model.TokensPerSecond = 0;
        var token = await pair.TokenOfNewUserAsync(admin: true);
        using var throughA = await pair.ClientAsync(0, token);
        using var throughB = await pair.ClientAsync(1, token);
        var id = await UploadAsync(throughA, "pump-manual.md",
            "# Pump manual\n\n## Maintenance\n\nThe impeller pump needs a service every 500 operating hours: replace the seal kit PX-4471.\n");
        await Eventually.Async(() => StatusAsync(throughA, id), status => status is "ready" or "failed", TimeSpan.FromSeconds(60));
        Assert.Equal("ready", await StatusAsync(throughA, id));

        var sinceReady = Stopwatch.StartNew();
        var sources = 0;
        while (sources == 0 && sinceReady.Elapsed < TimeSpan.FromSeconds(5))
        {
            using var answer = await throughB.PostAsJsonAsync("api/v1/chat/rag",
                new { model = Model, messages = new[] { new { role = "user", content = "Which seal kit does the impeller pump service use?" } } });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            sources = body.RootElement.TryGetProperty("sources", out var list) ? list.GetArrayLength() : 0;
            if (sources == 0)
            {
                await Task.Delay(300);
            }
        }
        output.WriteLine($"Catch-up: replica B cited the document {sinceReady.Elapsed.TotalSeconds:F2} s after replica A reported it ready.");

        Assert.True(sources > 0, "Replica B did not find the document within 5 s of it being ready on A.");
    }

    [Fact]
    public async Task ALongAnswerFromAFinishesWhileBRestartsAndIsNeverInterrupted()
    {
        // Slow enough to outlast B's restart however loaded the machine; sped up once B is back.
        pair.Model.Answer = string.Join(' ', Enumerable.Repeat("steady", 3000));
        pair.Model.TokensPerSecond = 20;
        using var throughA = await pair.ClientAsync(0);
        using var stream = await StreamAsync(throughA, store: true);
        var messageId = await FirstChunkIdAsync(stream);

        await pair.StopAsync(1);
        await pair.StartAsync(1);
        Assert.Equal("Streaming", (await pair.StoredAnswerAsync(messageId)).Status);
        pair.Model.TokensPerSecond = 0;
        var text = await ReadToEndAsync(stream);

        var stored = await Eventually.Async(() => pair.StoredAnswerAsync(messageId), m => m.Status != "Streaming");
        Assert.Equal(("Completed", pair.Model.Answer), stored);
        Assert.NotEmpty(text);
        Assert.EndsWith(text, pair.Model.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerOfAKilledReplicaIsEndedOnceByTheOtherAfterTheLeaseWithTheTextItFlushed()
    {
        pair.Model.Answer = string.Join(' ', Enumerable.Repeat("partial", 3000));
        pair.Model.TokensPerSecond = 50;
        using var throughA = await pair.ClientAsync(0);
        var (stream, conversation) = await StreamInChatAsync(throughA, store: true);
        var messageId = await FirstChunkIdAsync(stream);
        await Eventually.Async(() => pair.StoredAnswerAsync(messageId), m => m.Content.Length > 0);

        await pair.KillAsync(0);
        var killed = Stopwatch.StartNew();
        stream.Dispose();
        var ended = await Eventually.Async(() => pair.StoredAnswerAsync(messageId), m => m.Status != "Streaming", TimeSpan.FromSeconds(30));
        killed.Stop();
        output.WriteLine($"Takeover: the answer was marked Interrupted {killed.Elapsed.TotalSeconds:F1} s after replica A was killed (lease {ReplicaPair.Lease.TotalSeconds} s).");

        Assert.Equal("Interrupted", ended.Status);
        Assert.StartsWith(ended.Content, pair.Model.Answer, StringComparison.Ordinal);
        Assert.NotEmpty(ended.Content);
        Assert.True(killed.Elapsed < ReplicaPair.Lease * 3, $"Takeover took {killed.Elapsed}.");
        await pair.StartAsync(0);
        Assert.Equal(ended, await pair.StoredAnswerAsync(messageId));

        // Retry on B, as the user would: one new answer, not two.
        pair.Model.Answer = "Retried.";
        pair.Model.TokensPerSecond = 0;
        var page = await browser.NewPageAsync(pair.Address(1));
        await SignInAsync(page, ReplicaPair.AdminEmail, ReplicaPair.AdminPassword);
        await page.GotoAsync($"chat/{conversation}");
        await page.Locator(".nova-layout[data-interactive=true]").WaitForAsync();
        await page.GetByTestId("answer-interrupted").GetByTestId("retry").ClickAsync();
        var answers = await Eventually.Async(() => pair.AnswersAsync(conversation), a => a.Any(m => m.Content == "Retried." && m.Status == "Completed"));
        Assert.Equal([("Interrupted", ended.Content), ("Completed", "Retried.")], answers);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AUsersBurstSplitAcrossBothReplicasMeets429AtTheSameTotalAsOnOne()
    {
        pair.Model.Answer = "Short.";
        pair.Model.TokensPerSecond = 0;
        var token = await pair.TokenOfNewUserAsync();
        using var throughA = await pair.ClientAsync(0, token);
        using var throughB = await pair.ClientAsync(1, token);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < ReplicaPair.ChatBurst + 2; i++)
        {
            using var response = await (i % 2 == 0 ? throughA : throughB).PostAsJsonAsync("api/v1/chat/completions", Request());
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, ReplicaPair.ChatBurst), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task WithRedisDownBothReplicasServeChatAndSayDegradedAndShareLimitsAgainWhenItIsBack()
    {
        pair.Model.Answer = "Still here.";
        pair.Model.TokensPerSecond = 0;
        var token = await pair.TokenOfNewUserAsync();
        pair.StopRedis();
        try
        {
            foreach (var replica in new[] { 0, 1 })
            {
                using var client = await pair.ClientAsync(replica, token);
                Assert.Equal("Degraded", await Eventually.Async(() => client.GetStringAsync("health/ready"), r => r == "Degraded"));
                using var answer = await client.PostAsJsonAsync("api/v1/chat/completions", Request());
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }
        }
        finally
        {
            pair.ResumeRedis();
        }

        var later = await pair.TokenOfNewUserAsync();
        using var throughA = await pair.ClientAsync(0, later);
        using var throughB = await pair.ClientAsync(1, later);
        foreach (var client in new[] { throughA, throughB })
        {
            await Eventually.Async(() => client.GetStringAsync("health/ready"), r => r == "Healthy", TimeSpan.FromSeconds(20));
        }
        var allowed = 0;
        for (var i = 0; i < ReplicaPair.ChatBurst + 1; i++)
        {
            using var response = await (i % 2 == 0 ? throughA : throughB).PostAsJsonAsync("api/v1/chat/completions", Request());
            allowed += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        Assert.Equal(ReplicaPair.ChatBurst, allowed);
    }

    [Fact]
    public async Task TwentyDocumentsUploadedAcrossBothWithOneKilledMidwayAreEachIndexedExactlyOnce()
    {
        var token = await pair.TokenOfNewUserAsync(admin: true);
        var uploaded = new List<Guid>();
        using (var throughA = await pair.ClientAsync(0, token))
        using (var throughB = await pair.ClientAsync(1, token))
        {
            for (var i = 0; i < 20; i++)
            {
                uploaded.Add(await UploadAsync(i % 2 == 0 ? throughA : throughB, $"manual-{i}.md", Manual(i)));
            }
        }

        await pair.KillAsync(0);
        using (var throughB = await pair.ClientAsync(1, token))
        {
            foreach (var id in uploaded)
            {
                await Eventually.Async(() => StatusAsync(throughB, id), status => status is "ready" or "failed", TimeSpan.FromSeconds(90));
            }
        }
        await pair.StartAsync(0);

        var indexed = await pair.IndexedAsync(uploaded);
        Assert.All(uploaded, id => Assert.Equal(("Ready", indexed[id].Chunks, indexed[id].Chunks), (indexed[id].Status, indexed[id].ChunkCount, indexed[id].DistinctOrdinals)));
        Assert.All(uploaded, id => Assert.True(indexed[id].Chunks > 1, $"Document {id} has {indexed[id].Chunks} chunks."));
    }

    /// <summary>A manual of several chunks, different for each <paramref name="number"/>.</summary>
    private static string Manual(int number) => $"# Manual {number}\n\n" + string.Join("\n\n", Enumerable.Range(1, 4).Select(section =>
        $"## Section {section}\n\n" + string.Join(' ', Enumerable.Repeat($"Step {section} of manual {number}: check the valve, the seal and the pump housing.", 4))));

    [Fact]
    public async Task AUserLockedThroughALosesTheirOpenChatPageOnBWithinTwoSeconds()
    {
        var (email, _) = await pair.NewUserAsync();
        var user = await browser.NewPageAsync(pair.Address(1));
        await SignInAsync(user, email, ReplicaPair.AdminPassword);
        var admin = await browser.NewPageAsync(pair.Address(0));
        await SignInAsync(admin, ReplicaPair.AdminEmail, ReplicaPair.AdminPassword);
        await admin.GotoAsync("admin/users");
        await admin.Locator(".nova-layout[data-interactive=true]").WaitForAsync();

        await admin.Locator($"[data-testid=user-actions][data-email='{email}'] [data-testid=user-lock]").ClickAsync();
        await Assertions.Expect(admin.Locator($"[data-testid=user-actions][data-email='{email}'] [data-testid=user-unlock]")).ToBeVisibleAsync();
        var locked = Stopwatch.StartNew();
        await user.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        locked.Stop();
        output.WriteLine($"Lock: the user's chat page on replica B ended {locked.Elapsed.TotalSeconds:F2} s after replica A locked them.");

        Assert.True(locked.Elapsed < TimeSpan.FromSeconds(2), $"The page on B ended {locked.Elapsed} after the lock.");
        await user.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    /// <summary>Signs in through the real form and waits until the chat's circuit runs.</summary>
    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.Locator(".nova-layout[data-interactive=true]").WaitForAsync();
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string name, string text)
    {
        using var form = new MultipartFormDataContent { { new StringContent(text), "file", name } };
        using var response = await client.PostAsync("api/v1/documents", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("data")[0].GetProperty("id").GetGuid();
    }

    private static async Task<string> StatusAsync(HttpClient client, Guid document)
    {
        using var body = await client.GetFromJsonAsync<JsonDocument>($"api/v1/documents/{document}");
        return body!.RootElement.GetProperty("status").GetString()!;
    }

    private static object Request(bool stream = false, bool store = false) =>
        new { model = Model, stream, store, messages = new[] { new { role = "user", content = "Tell me something long." } } };

    private static async Task<StreamReader> StreamAsync(HttpClient client, bool store) => (await StreamInChatAsync(client, store)).Stream;

    /// <summary>Starts a streamed answer; returns the stream and the chat it is stored in.</summary>
    private static async Task<(StreamReader Stream, Guid Conversation)> StreamInChatAsync(HttpClient client, bool store)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions") { Content = JsonContent.Create(Request(stream: true, store)) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversation = response.Headers.TryGetValues("X-Nova-Conversation-Id", out var values) ? Guid.Parse(values.Single()) : Guid.Empty;
        return (new StreamReader(await response.Content.ReadAsStreamAsync()), conversation);
    }

    /// <summary>The answer's message id, from the first chunk's <c>chatcmpl-…</c> id.</summary>
    private static async Task<Guid> FirstChunkIdAsync(StreamReader stream)
    {
        while (await stream.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                using var chunk = JsonDocument.Parse(line["data: ".Length..]);
                return Guid.ParseExact(chunk.RootElement.GetProperty("id").GetString()!["chatcmpl-".Length..], "N");
            }
        }
        throw new InvalidOperationException("The stream ended before its first chunk.");
    }

    /// <summary>The text of every chunk after the first, to the end of the stream.</summary>
    private static async Task<string> ReadToEndAsync(StreamReader stream)
    {
        var text = new System.Text.StringBuilder();
        while (await stream.ReadLineAsync() is { } line && line != "data: [DONE]")
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                using var chunk = JsonDocument.Parse(line["data: ".Length..]);
                foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
                {
                    if (choice.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                    {
                        text.Append(content.GetString());
                    }
                }
            }
        }
        return text.ToString();
    }
}

[CollectionDefinition(nameof(ReplicaPairCollection))]
public sealed class ReplicaPairCollection : ICollectionFixture<ReplicaPair>, ICollectionFixture<BrowserFixture>;
