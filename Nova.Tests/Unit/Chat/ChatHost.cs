using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Identity;
using Nova.Services.Llm;
using Nova.Services.Rag;
using Nova.Tests.Infrastructure;
using Nova.Tests.Unit.Chat.Grounding;
using Nova.Tests.Unit.Rag;
using ChatMessage = Nova.Services.Chat.Data.ChatMessage;

namespace Nova.Tests.Unit.Chat;

/// <summary>
/// Nova's chat and document services on a fresh database (SQLite unless told) with the real migrations,
/// a fake model and a fake clock: time only moves when a test advances it. Documents are stored in a
/// temporary folder; the embedding model loads only when a test ingests or searches.
/// </summary>
internal sealed class ChatHost : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly DirectoryInfo _files;
    private readonly IHost _host;
    private readonly IServiceScope _scope;

    private ChatHost(TestDatabase database, DirectoryInfo files, IHost host, FakeChatClient model, FakeModelRouter router, FakeTimeProvider clock)
    {
        _database = database;
        _files = files;
        Embeddings = (GatedEmbeddingGenerator)host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        _host = host;
        _scope = host.Services.CreateScope();
        Model = model;
        Router = router;
        Clock = clock;
    }

    public FakeChatClient Model { get; }

    /// <summary>Makes the database fail for the services for a while.</summary>
    public DatabaseOutage Outage => _host.Services.GetRequiredService<DatabaseOutage>();

    /// <summary>Every log line of the chat's services, with its exception.</summary>
    public Llm.LlmTestHost.LogRecorder Logs => _host.Services.GetRequiredService<Llm.LlmTestHost.LogRecorder>();

    public FakeModelRouter Router { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>The embedding model; closing its gate holds every search (and ingestion) until it opens.</summary>
    public GatedEmbeddingGenerator Embeddings { get; }

    public ChatService Chat => _scope.ServiceProvider.GetRequiredService<ChatService>();

    public GenerationRegistry Registry => _host.Services.GetRequiredService<GenerationRegistry>();

    public IServiceProvider Services => _host.Services;

    public DocumentLibrary Library => new(_host.Services);

    public static IHost Build(TestDatabase database, FakeModelRouter router, TimeProvider clock, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(
            database.Settings.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var logs = new Llm.LlmTestHost.LogRecorder();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(logs);
        builder.AddNovaData();
        var contexts = builder.Services.Last(s => s.ServiceType == typeof(IDbContextFactory<NovaDbContext>));
        builder.Services.Remove(contexts);
        builder.Services.AddSingleton(sp =>
            new DatabaseOutage((IDbContextFactory<NovaDbContext>)ActivatorUtilities.CreateInstance(sp, contexts.ImplementationType!)));
        builder.Services.AddSingleton<IDbContextFactory<NovaDbContext>>(sp => sp.GetRequiredService<DatabaseOutage>());
        // Identity's options shape the EF model, so the migrations match only with it registered.
        builder.AddNovaIdentity();
        builder.AddNovaRag();
        builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, GatedEmbeddingGenerator>();
        builder.AddNovaChat();
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<IModelRouter>(router);
        return builder.Build();
    }

    public static async Task<ChatHost> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, params (string Key, string Value)[] settings)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var files = Directory.CreateTempSubdirectory("nova-chat-files-");
        var model = new FakeChatClient();
        var router = new FakeModelRouter(model);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
        // Stopping does not wait for answers to finish unless a test asks for it.
        (string Key, string Value)[] defaults = [("Nova:Rag:StoragePath", files.FullName), ("Nova:Replicas:DrainTimeout", "00:00:00")];
        var host = Build(database, router, clock, [.. defaults.Where(d => settings.All(s => s.Key != d.Key)), .. settings]);
        // Migrated before the hosted services start: ingestion looks for unfinished documents at start.
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await host.StartAsync();
        return new ChatHost(database, files, host, model, router, clock);
    }

    public NovaDbContext CreateContext() => _host.CreateContext();

    /// <summary>Another replica on the same database and clock, started (the caller stops and disposes it).</summary>
    public async Task<IHost> StartReplicaAsync()
    {
        var replica = Build(_database, Router, Clock, ("Nova:Rag:StoragePath", _files.FullName));
        await replica.StartAsync();
        return replica;
    }

    public async Task<string> CreateUserAsync(string name, params string[] roles)
    {
        await using var db = CreateContext();
        // As Identity creates an account: lockout applies to it.
        var user = new NovaUser { UserName = $"{name}@example.test", Email = $"{name}@example.test", LockoutEnabled = true };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        await SetRolesAsync(user.Id, roles);
        return user.Id;
    }

    /// <summary>Gives the user exactly these roles (creating missing ones), as an admin changing them would.</summary>
    public async Task SetRolesAsync(string userId, params string[] roles)
    {
        await using var db = CreateContext();
        await db.UserRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync();
        foreach (var role in roles)
        {
            var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleOrDefaultAsync();
            if (roleId is null)
            {
                var created = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
                db.Roles.Add(created);
                roleId = created.Id;
            }
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = userId, RoleId = roleId });
        }
        await db.SaveChangesAsync();
    }

    public async Task<ChatMessage> MessageAsync(Guid id)
    {
        await using var db = CreateContext();
        return await db.Set<ChatMessage>().AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public async Task<List<ChatMessage>> MessagesAsync(Guid conversationId)
    {
        await using var db = CreateContext();
        return await db.Set<ChatMessage>().AsNoTracking().Where(m => m.ConversationId == conversationId).ToListAsync();
    }

    /// <summary>Registers another replica whose last heartbeat was <paramref name="heartbeatAgo"/> ago: live within its lease, gone after.</summary>
    public async Task<Guid> AddReplicaAsync(TimeSpan heartbeatAgo)
    {
        var now = Clock.GetUtcNow();
        await using var db = CreateContext();
        var replica = new Replica { Id = Guid.NewGuid(), Name = "other:1", StartedAt = now - heartbeatAgo, HeartbeatAt = now - heartbeatAgo };
        db.Add(replica);
        await db.SaveChangesAsync();
        return replica.Id;
    }

    /// <summary>Stores an answer that <paramref name="replicaId"/> is writing, as that replica's flushes leave it.</summary>
    public async Task<Guid> AddStreamingAnswerAsync(Guid conversationId, Guid replicaId, string content = "Half an answer")
    {
        await using var db = CreateContext();
        var answer = new ChatMessage
        {
            Id = Guid.NewGuid(),
            ConversationId = conversationId,
            Role = MessageRole.Assistant,
            Content = content,
            Status = MessageStatus.Streaming,
            CreatedAt = Clock.GetUtcNow(),
            ReplicaId = replicaId,
        };
        db.Add(answer);
        await db.SaveChangesAsync();
        return answer.Id;
    }

    /// <summary>Waits until the stored message satisfies the condition (the background writes it).</summary>
    public Task<ChatMessage> StoredAsync(Guid id, Func<ChatMessage, bool> condition) =>
        Eventually.Async(() => MessageAsync(id), condition);

    /// <summary>Waits until every answer of the chat is stored and no generation holds a place for it any more.</summary>
    public async Task FinishedAsync(Guid conversationId)
    {
        await Eventually.Async(() => MessagesAsync(conversationId), messages => messages.All(m => m.Status != MessageStatus.Streaming));
        await Eventually.Async(() => Task.FromResult(Registry.RunningCount), running => running == 0);
    }

    /// <summary>Sends a question in a new chat and returns the turn with the model call it caused.</summary>
    public async Task<(ChatTurn Turn, FakeStream Call)> AskAsync(string userId, string question = "Hello?")
    {
        var conversation = await Chat.CreateAsync(userId);
        var turn = await Chat.SendAsync(userId, conversation.Id, question, Guid.NewGuid().ToString());
        return (turn, await Model.NextCallAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _scope.Dispose();
        await _host.StopAsync();
        await ((IAsyncDisposable)_host).DisposeAsync();
        _database.Dispose();
        _files.Delete(recursive: true);
    }
}

internal static class Eventually
{
    /// <summary>Polls until the condition holds, like bUnit's WaitForAssertion; fails after ten seconds.</summary>
    public static async Task<T> Async<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold in time; last value: {value}");
            }
            await Task.Delay(10);
        }
    }
}
