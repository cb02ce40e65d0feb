using Microsoft.EntityFrameworkCore;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;

namespace Nova.Services.Chat.Grounding;

/// <summary>Whether the passage a citation points to can still be shown in its document.</summary>
public enum PassageAvailability
{
    Available,

    /// <summary>The document was deleted; only the stored snippet is left.</summary>
    DocumentRemoved,

    /// <summary>The user may no longer read the document (a role or its collections changed).</summary>
    NoAccess,

    /// <summary>The document was indexed again since and the passage has another identity now.</summary>
    Changed,
}

/// <summary>A piece of the document around a cited passage; <see cref="IsCited"/> marks the passage itself.</summary>
public sealed record PassagePart(string Text, int? Page, bool IsCited);

/// <summary>What a citation opens: the stored source and, when available, the passage with its neighbours.</summary>
public sealed record SourcePassage(SourceView Source, PassageAvailability Availability, IReadOnlyList<PassagePart> Parts);

/// <summary>
/// Opens a citation: the stored source of an answer of the user's, and the cited passage with the
/// passages before and after it, read again from the document if the user may still read it.
/// </summary>
public sealed class SourceReader(IDbContextFactory<NovaDbContext> contexts, CollectionAccess access)
{
    // Shorter common pieces ("the ") are chance, not overlap.
    private const int MinOverlap = 12;

    /// <summary>Null when the answer is not the user's or has no source with that number.</summary>
    public async Task<SourcePassage?> ReadAsync(string userId, Guid messageId, int number, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Set<MessageSource>().AsNoTracking()
            .Where(s => s.MessageId == messageId && s.Number == number &&
                        db.Set<ChatMessage>().Any(m => m.Id == messageId && m.Conversation!.OwnerId == userId))
            .SingleOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            return null;
        }
        var collections = await db.Set<DocumentCollection>().Where(dc => dc.DocumentId == stored.DocumentId)
            .Select(dc => dc.CollectionId).ToListAsync(cancellationToken);
        var exists = collections.Count > 0 || await db.Set<Document>().AnyAsync(d => d.Id == stored.DocumentId, cancellationToken);
        var source = ChatMapping.ToView(stored, documentRemoved: !exists);
        if (!exists)
        {
            return new SourcePassage(source, PassageAvailability.DocumentRemoved, []);
        }
        var readable = await access.ReadableAsync(userId, cancellationToken);
        if (!collections.Any(readable.Contains))
        {
            return new SourcePassage(source, PassageAvailability.NoAccess, []);
        }
        var cited = await db.Set<Chunk>().AsNoTracking()
            .Where(c => c.Id == stored.ChunkId && c.DocumentId == stored.DocumentId)
            .Select(c => new { c.Ordinal })
            .SingleOrDefaultAsync(cancellationToken);
        if (cited is null)
        {
            return new SourcePassage(source, PassageAvailability.Changed, []);
        }
        var chunks = await db.Set<Chunk>().AsNoTracking()
            .Where(c => c.DocumentId == stored.DocumentId && c.Ordinal >= cited.Ordinal - 1 && c.Ordinal <= cited.Ordinal + 1)
            .OrderBy(c => c.Ordinal)
            .Select(c => new { c.Ordinal, c.Text, c.Page })
            .ToListAsync(cancellationToken);
        // Chunks overlap: shown one after the other the overlap would read twice, so it is kept only in the
        // cited passage (which stays whole) or, between two neighbours, in the first.
        var texts = chunks.Select(c => c.Text).ToArray();
        for (var i = 1; i < chunks.Count; i++)
        {
            var overlap = Overlap(chunks[i - 1].Text, chunks[i].Text);
            if (chunks[i].Ordinal == cited.Ordinal)
            {
                texts[i - 1] = texts[i - 1][..Math.Max(0, texts[i - 1].Length - overlap)].TrimEnd();
            }
            else
            {
                texts[i] = texts[i][overlap..].TrimStart();
            }
        }
        var parts = chunks.Select((c, i) => new PassagePart(texts[i], c.Page, c.Ordinal == cited.Ordinal)).Where(p => p.Text.Length > 0).ToList();
        return new SourcePassage(source, PassageAvailability.Available, parts);
    }

    /// <summary>How many characters at the start of <paramref name="next"/> repeat the end of <paramref name="previous"/>.</summary>
    internal static int Overlap(string previous, string next)
    {
        for (var length = Math.Min(previous.Length, next.Length); length >= MinOverlap; length--)
        {
            if (previous.AsSpan().EndsWith(next.AsSpan(0, length)))
            {
                return length;
            }
        }
        return 0;
    }
}
