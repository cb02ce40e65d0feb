namespace Nova.Services.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from <c>Nova:Database</c>; the connection string is <c>ConnectionStrings:Nova</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Nova:Database";
    public const string ConnectionStringName = "Nova";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
