extern alias bench;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using bench::Nova.Bench;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;
using Npgsql;

namespace Nova.Tests.ScaleOut;

/// <summary>
/// Two Nova processes (replicas A and B) on one real PostgreSQL and one real Redis of their own, behind HAProxy with
/// the repository's docker/haproxy.cfg, answering with the fake model. Shared by the tests of a class: starting it
/// takes several seconds. The tests stop, kill and restart replicas and Redis; each leaves them running again.
/// </summary>
public sealed class ReplicaPair : IAsyncLifetime
{
    public const string AdminEmail = "admin@example.test";
    public const string AdminPassword = "Scale-out-1!";
    public const int ChatBurst = 20;
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("nova-replicas-");
    private readonly NovaProcess?[] _replicas = new NovaProcess?[2];
    private readonly int[] _ports = [NovaProcess.FreePort(), NovaProcess.FreePort()];
    private TestDatabase _database = default!;
    private Process? _proxy;

    public FakeOpenAiServer Model { get; } = new() { TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokensPerSecond = 200 };

    private RedisServer.RedisProcess Redis { get; set; } = default!;

    public Uri Proxy { get; private set; } = default!;

    public string ConnectionString => _database.ConnectionString;

    public async Task InitializeAsync()
    {
        await Model.StartAsync();
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        Redis = RedisServer.RedisProcess.Start(RedisServer.FreePort());
        // One at a time the first time: the first replica applies the migrations and seeds the admin.
        await StartAsync(0);
        await StartAsync(1);
        StartProxy();
        await WaitForProxyAsync();
    }

    public async Task DisposeAsync()
    {
        _proxy?.Kill();
        _proxy?.Dispose();
        foreach (var replica in _replicas)
        {
            if (replica is not null)
            {
                await replica.DisposeAsync();
            }
        }
        Redis.Dispose();
        _database.Dispose();
        await Model.DisposeAsync();
        _data.Delete(recursive: true);
    }

    /// <summary>Kills Redis, as an outage would.</summary>
    public void StopRedis() => Redis.Stop();

    /// <summary>Starts Redis again where it was, with its data.</summary>
    public void ResumeRedis() => Redis.Resume();

    public Uri Address(int replica) => _replicas[replica]!.BaseAddress;

    /// <summary>Starts replica 0 (A) or 1 (B) on its port and waits until it is ready.</summary>
    public async Task StartAsync(int replica)
    {
        var started = NovaProcess.Start(Directory.CreateDirectory(Path.Combine(_data.FullName, $"replica{replica}")).FullName, Settings(), _ports[replica]);
        _replicas[replica] = started;
        try
        {
            await started.WaitUntilReadyAsync(Stopwatch.StartNew(), TimeSpan.FromMinutes(2));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Replica {replica} did not start:\n{started.RecentOutput}", e);
        }
    }

    /// <summary>Stops the replica as an orchestrator does (SIGTERM: it drains) and waits until it has exited.</summary>
    public async Task StopAsync(int replica)
    {
        await _replicas[replica]!.StopAsync();
        await _replicas[replica]!.DisposeAsync();
        _replicas[replica] = null;
    }

    /// <summary>Kills the replica (SIGKILL): it stops at once, beating, flushing and answering.</summary>
    public async Task KillAsync(int replica)
    {
        await _replicas[replica]!.KillAsync();
        await _replicas[replica]!.DisposeAsync();
        _replicas[replica] = null;
    }

    /// <summary>A client of the replica (or, with null, of the proxy) signed in with an access token for the admin.</summary>
    public async Task<HttpClient> ClientAsync(int? replica, string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = true }) { BaseAddress = replica is { } r ? Address(r) : Proxy, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await TokenAsync());
        return client;
    }

    /// <summary>An access token for the admin, issued through the proxy.</summary>
    public Task<string> TokenAsync() => TokenAsync(AdminEmail, AdminPassword);

    /// <summary>An access token for a new user (their own chat allowance), an admin when asked, issued through the proxy.</summary>
    public async Task<string> TokenOfNewUserAsync(bool admin = false)
    {
        var (email, password) = await NewUserAsync(admin);
        return await TokenAsync(email, password);
    }

    /// <summary>A new user's email and password.</summary>
    public async Task<(string Email, string Password)> NewUserAsync(bool admin = false)
    {
        var email = $"user-{Guid.NewGuid():N}@example.test";
        using (var services = NovaServices.Build(_database))
        await using (var scope = services.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
            var user = new NovaUser { UserName = email, Email = email, EmailConfirmed = true };
            var created = await users.CreateAsync(user, AdminPassword);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
            if (admin)
            {
                Assert.True((await users.AddToRoleAsync(user, NovaRoles.Admin)).Succeeded);
            }
        }
        return (email, AdminPassword);
    }

    private async Task<string> TokenAsync(string email, string password)
    {
        using var client = new HttpClient { BaseAddress = Proxy };
        using var response = await client.PostAsJsonAsync("api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The stored answer's status and text, read from the database the replicas share.</summary>
    public async Task<(string Status, string Content)> StoredAnswerAsync(Guid messageId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Status", "Content" FROM "ChatMessages" WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("id", messageId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"Message {messageId} is not stored.");
        return (reader.GetValue(0).ToString()!, reader.GetString(1));
    }

    /// <summary>The chat's answers, oldest first, as (status, text).</summary>
    public async Task<List<(string Status, string Content)>> AnswersAsync(Guid conversationId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT "Status", "Content" FROM "ChatMessages" WHERE "ConversationId" = @id AND "Role" = 'Assistant' ORDER BY "CreatedAt"
            """, connection);
        command.Parameters.AddWithValue("id", conversationId);
        var answers = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            answers.Add((reader.GetString(0), reader.GetString(1)));
        }
        return answers;
    }

    /// <summary>Per document: its status, the chunk count it claims, and the chunks and distinct ordinals stored for it.</summary>
    public async Task<Dictionary<Guid, (string Status, int ChunkCount, int Chunks, int DistinctOrdinals)>> IndexedAsync(IReadOnlyCollection<Guid> documents)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT d."Id", d."Status", d."ChunkCount", COUNT(c."Id"), COUNT(DISTINCT c."Ordinal")
            FROM "RagDocuments" d LEFT JOIN "RagChunks" c ON c."DocumentId" = d."Id"
            WHERE d."Id" = ANY(@ids) GROUP BY d."Id", d."Status", d."ChunkCount"
            """, connection);
        command.Parameters.AddWithValue("ids", documents.ToArray());
        var result = new Dictionary<Guid, (string, int, int, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetGuid(0)] = (reader.GetValue(1).ToString()!, reader.GetInt32(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4));
        }
        return result;
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Nova__Database__Provider"] = "Postgres",
        ["ConnectionStrings__Nova"] = _database.ConnectionString,
        ["Nova__Redis"] = Redis.ConnectionString,
        ["Nova__Llm__Endpoints__0__Name"] = "fake",
        ["Nova__Llm__Endpoints__0__Kind"] = "OpenAI",
        ["Nova__Llm__Endpoints__0__BaseUrl"] = Model.BaseUrl.ToString(),
        // Every replica signs and checks access tokens with the same key.
        ["Nova__Jwt__SigningKey"] = "scale-out-test-signing-key-of-at-least-32-bytes",
        ["Nova__Admin__Email"] = AdminEmail,
        ["Nova__Admin__Password"] = AdminPassword,
        ["Nova__Chat__GenerateTitles"] = "false",
        ["Nova__Chat__MaxConcurrentGenerationsPerUser"] = "20",
        ["Nova__RateLimits__ChatBurst"] = ChatBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Nova__RateLimits__ChatRequestsPerMinute"] = "1",
        ["Nova__RateLimits__AuthRequestsPerMinute"] = "1000",
        ["Nova__Replicas__HeartbeatInterval"] = "00:00:01",
        ["Nova__Replicas__LeaseDuration"] = Lease.ToString(),
        ["Nova__Replicas__DrainTimeout"] = "00:00:20",
    };

    private void StartProxy()
    {
        var port = NovaProcess.FreePort();
        var start = new ProcessStartInfo("/usr/sbin/haproxy", ["-db", "-f", Path.Combine(BenchOptions.RepositoryRoot(), "docker", "haproxy.cfg")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NOVA_LISTEN"] = $"127.0.0.1:{port}";
        start.Environment["NOVA_REPLICA_1"] = $"127.0.0.1:{_ports[0]}";
        start.Environment["NOVA_REPLICA_2"] = $"127.0.0.1:{_ports[1]}";
        if (!File.Exists(start.FileName))
        {
            throw new InvalidOperationException($"{start.FileName} is missing. Run ./test.sh, which installs Debian's haproxy.");
        }
        _proxy = Process.Start(start) ?? throw new InvalidOperationException("Could not start haproxy");
        _proxy.BeginOutputReadLine();
        _proxy.BeginErrorReadLine();
        ProcessReaper.CleanUpAfterExit($"kill -9 {_proxy.Id}");
        Proxy = new Uri($"http://127.0.0.1:{port}/");
    }

    private async Task WaitForProxyAsync()
    {
        using var client = new HttpClient { BaseAddress = Proxy, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if ((await client.GetAsync("health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // HAProxy is not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("HAProxy did not route to a ready replica within 30 seconds.");
    }
}
