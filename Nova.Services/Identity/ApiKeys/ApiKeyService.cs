using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;

namespace Nova.Services.Identity.ApiKeys;

/// <summary>What an owner sees of a key: never the key itself.</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A key just created: <see cref="Key"/> is shown to its owner once and is not stored.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>The owner of a presented key.</summary>
public sealed record ApiKeyMatch(Guid KeyId, string UserId);

/// <summary>
/// Creates, lists, revokes and recognises personal API keys. Every operation is scoped to the
/// owner: another user's key id behaves exactly like one that does not exist.
/// </summary>
public sealed class ApiKeyService
{
    public const int MaxKeysPerUser = 25;

    private const string RevokedChannel = "api-keys-revoked";

    /// <summary>Last use is written at most this often per key, so busy keys do not write on every request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a recognised key is remembered, so a busy client's requests do not each look it up. A key revoked
    /// is forgotten at once here and, through <see cref="ReplicaBroadcast"/>, on the other replicas; without Redis
    /// another replica stops accepting it within this time.
    /// </summary>
    public static readonly TimeSpan RecognisedFor = TimeSpan.FromSeconds(10);

    private readonly IDbContextFactory<NovaDbContext> _contexts;
    private readonly TimeProvider _clock;
    private readonly IMemoryCache _cache;
    private readonly ReplicaBroadcast _broadcast;
    private readonly Lock _revocationGate = new();
    private long _revocations;

    public ApiKeyService(IDbContextFactory<NovaDbContext> contexts, TimeProvider clock, IMemoryCache cache, ReplicaBroadcast broadcast)
    {
        _contexts = contexts;
        _clock = clock;
        _cache = cache;
        _broadcast = broadcast;
        Subscribed = broadcast.SubscribeAsync(RevokedChannel, hashes => Forget(hashes.Split(',')));
    }

    /// <summary>Completes once other replicas' revocations are heard (at once without Redis).</summary>
    public Task Subscribed { get; }

    public async Task<CreatedApiKey> CreateAsync(string userId, string? name, CancellationToken cancellationToken = default)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new ApiKeyException("Give the key a name, so you can tell it apart later.");
        }
        if (trimmed.Length > ApiKey.MaxNameLength)
        {
            throw new ApiKeyException($"The name must be at most {ApiKey.MaxNameLength} characters.");
        }
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Set<ApiKey>().CountAsync(k => k.UserId == userId, cancellationToken) >= MaxKeysPerUser)
        {
            throw new ApiKeyException($"You already have {MaxKeysPerUser} keys. Revoke one you no longer use first.");
        }
        var key = ApiKeyFormat.NewKey();
        var entity = new ApiKey
        {
            Id = Guid.CreateVersion7(_clock.GetUtcNow()),
            UserId = userId,
            Name = trimmed,
            Prefix = ApiKeyFormat.Prefix(key),
            Hash = ApiKeyFormat.Hash(key),
            CreatedAt = _clock.GetUtcNow(),
        };
        db.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(ToInfo(entity), key);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var keys = await db.Set<ApiKey>().AsNoTracking().Where(k => k.UserId == userId).ToListAsync(cancellationToken);
        // Sorted here: SQLite cannot order by DateTimeOffset, and a user has at most MaxKeysPerUser keys.
        return [.. keys.OrderByDescending(k => k.CreatedAt).Select(ToInfo)];
    }

    /// <summary>Deletes the user's key, which stops working at once; false when they have no key with that id.</summary>
    public async Task<bool> RevokeAsync(string userId, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var owned = db.Set<ApiKey>().Where(k => k.Id == keyId && k.UserId == userId);
        var hash = await owned.Select(k => k.Hash).SingleOrDefaultAsync(cancellationToken);
        if (hash is null)
        {
            return false;
        }
        var deleted = await owned.ExecuteDeleteAsync(cancellationToken) > 0;
        ForgetEverywhere([hash]);
        return deleted;
    }

    /// <summary>Revokes every key of the user, as a password change does (<see cref="AccountProfile.ChangePasswordAsync"/>).</summary>
    public async Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var owned = db.Set<ApiKey>().Where(k => k.UserId == userId);
        var hashes = await owned.Select(k => k.Hash).ToListAsync(cancellationToken);
        if (hashes.Count == 0)
        {
            return 0;
        }
        var deleted = await owned.ExecuteDeleteAsync(cancellationToken);
        ForgetEverywhere(hashes);
        return deleted;
    }

    private void ForgetEverywhere(IReadOnlyCollection<string> hashes)
    {
        Forget(hashes);
        _broadcast.Publish(RevokedChannel, string.Join(',', hashes));
    }

    private void Forget(IEnumerable<string> hashes)
    {
        // A lookup that read a key before it went either remembered it already (removed here) or sees the count change.
        lock (_revocationGate)
        {
            _revocations++;
            foreach (var hash in hashes)
            {
                _cache.Remove(CacheKey(hash));
            }
        }
    }

    /// <summary>
    /// Finds the key presented by a client and records its use. The lookup is by hash, so the
    /// comparison never runs over the secret itself. A recognised key is remembered for <see cref="RecognisedFor"/>.
    /// </summary>
    public async Task<ApiKeyMatch?> FindAsync(string presentedKey, CancellationToken cancellationToken = default)
    {
        if (!ApiKeyFormat.LooksLikeKey(presentedKey))
        {
            return null;
        }
        var hash = ApiKeyFormat.Hash(presentedKey);
        if (_cache.TryGetValue(CacheKey(hash), out ApiKeyMatch? known))
        {
            return known;
        }
        var revocations = Interlocked.Read(ref _revocations);
        var match = await LookUpAsync(hash, cancellationToken);
        if (match is not null)
        {
            lock (_revocationGate)
            {
                if (_revocations == revocations)
                {
                    _cache.Set(CacheKey(hash), match, RecognisedFor);
                }
            }
        }
        return match;
    }

    private async Task<ApiKeyMatch?> LookUpAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (key is null)
        {
            return null;
        }
        var now = _clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt >= LastUsedResolution)
        {
            key.LastUsedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Revoked between the lookup and the write.
                return null;
            }
        }
        return new ApiKeyMatch(key.Id, key.UserId);
    }

    private static string CacheKey(string hash) => $"api-key:{hash}";

    private static ApiKeyInfo ToInfo(ApiKey key) => new(key.Id, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt);
}

/// <summary>A request about API keys that cannot be honoured; the message is meant for the user.</summary>
public sealed class ApiKeyException(string message) : Exception(message);
