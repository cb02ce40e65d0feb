using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Nova.Services.Data;

/// <summary>
/// Sets what SQLite keeps per connection, once per physical connection (pooled ones keep it):
/// <list type="bullet">
/// <item><c>synchronous=NORMAL</c>: in WAL mode a commit is then written to the log without waiting for the
/// disk, which is flushed at checkpoints. A crash of Nova loses nothing; losing the machine's power may lose
/// the last commits, never the database. Without it every stored turn and text flush waits for an fsync.</item>
/// <item><c>busy_timeout</c>: a writer waiting for another's write lock is retried by SQLite within a
/// millisecond or so, instead of by Microsoft.Data.Sqlite, which sleeps 150 ms per retry.</item>
/// </list>
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    private readonly ConditionalWeakTable<sqlite3, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || _configured.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = sqlite.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        _configured.AddOrUpdate(handle, Pragmas);
    }
}
