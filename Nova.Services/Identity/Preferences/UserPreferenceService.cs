using Microsoft.EntityFrameworkCore;
using Nova.Services.Chat.Data;
using Nova.Services.Data;

namespace Nova.Services.Identity.Preferences;

/// <summary>Reads and saves each user's <see cref="UserPreferences"/>; a user only ever reaches their own.</summary>
public sealed class UserPreferenceService(IDbContextFactory<NovaDbContext> contexts)
{
    /// <summary>The user's saved preferences, or null when they have never saved any.</summary>
    public async Task<UserPreferences?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var saved = await db.Set<SavedPreferences>().AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        return saved is null ? null : new UserPreferences(saved.Theme, saved.EffectsEnabled, saved.DefaultModel, saved.EnterToSend);
    }

    /// <summary>
    /// Saves all of the user's preferences at once (the last save wins) and returns them as stored.
    /// Saves racing from two tabs of a user who had none yet both succeed.
    /// </summary>
    public async Task<UserPreferences> SaveAsync(string userId, UserPreferences preferences, CancellationToken cancellationToken = default)
    {
        var valid = Validate(preferences);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await UpdateAsync(db, userId, valid, cancellationToken))
        {
            return valid;
        }
        var row = new SavedPreferences
        {
            UserId = userId,
            Theme = valid.Theme,
            EffectsEnabled = valid.EffectsEnabled,
            DefaultModel = valid.DefaultModel,
            EnterToSend = valid.EnterToSend,
        };
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another save inserted the row first; this one is the later save, so it wins. No row at
            // all means the insert failed for another reason (no such user) and the error stands.
            db.Entry(row).State = EntityState.Detached;
            if (!await UpdateAsync(db, userId, valid, cancellationToken))
            {
                throw;
            }
        }
        return valid;
    }

    private static async Task<bool> UpdateAsync(NovaDbContext db, string userId, UserPreferences preferences, CancellationToken cancellationToken) =>
        await db.Set<SavedPreferences>().Where(p => p.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Theme, preferences.Theme)
            .SetProperty(p => p.EffectsEnabled, preferences.EffectsEnabled)
            .SetProperty(p => p.DefaultModel, preferences.DefaultModel)
            .SetProperty(p => p.EnterToSend, preferences.EnterToSend), cancellationToken) > 0;

    private static UserPreferences Validate(UserPreferences preferences)
    {
        if (!Enum.IsDefined(preferences.Theme))
        {
            throw new ArgumentOutOfRangeException(nameof(preferences), preferences.Theme, "Unknown theme.");
        }
        var model = string.IsNullOrWhiteSpace(preferences.DefaultModel) ? null : preferences.DefaultModel.Trim();
        if (model?.Length > Conversation.MaxModelLength || (model is not null && model.Any(char.IsControl)))
        {
            throw new ArgumentException("That model name is not valid.", nameof(preferences));
        }
        return preferences with { DefaultModel = model };
    }
}
