using System.Data;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Npgsql;
using NpgsqlTypes;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Uploaded bytes in the database's <c>RagFiles</c> table (<see cref="StoredFileContent"/>), so that any replica can
/// parse, retry or re-index any document: the default when the database is PostgreSQL. Neither direction holds a whole
/// file in memory: an upload is spooled to a scratch file (where the limit, hash and head are taken) and streamed into
/// one INSERT, so a row is there whole or not at all; a read streams the column into a scratch file, which parsers may seek
/// and which does not keep a connection open while a document is parsed.
/// </summary>
public sealed class PostgresDocumentFileStore(IDbContextFactory<NovaDbContext> contexts) : IDocumentFileStore
{
    public async Task<StoredFile> SaveAsync(ReadOnlyMemory<byte> head, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var key = StoredFileWriter.NewKey();
        await using var spool = StoredFileWriter.Scratch();
        var stored = await StoredFileWriter.CopyAsync(key, head, content, maxBytes, spool, cancellationToken);
        spool.Position = 0;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bytes = new NpgsqlParameter("content", NpgsqlDbType.Bytea) { Value = spool };
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "RagFiles" ("Key", "Content") VALUES ({key}, {bytes})""", cancellationToken);
        return stored;
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        StoredFileWriter.Checked(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = """SELECT "Content" FROM "RagFiles" WHERE "Key" = @key""";
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new FileNotFoundException("No stored file has this key.", key);
        }
        var copy = StoredFileWriter.Scratch();
        try
        {
            await using (var column = await reader.GetStreamAsync(0, cancellationToken))
            {
                await column.CopyToAsync(copy, cancellationToken);
            }
            copy.Position = 0;
            return copy;
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length == 0)
        {
            return;
        }
        StoredFileWriter.Checked(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<StoredFileContent>().Where(f => f.Key == key).ExecuteDeleteAsync(cancellationToken);
    }
}
