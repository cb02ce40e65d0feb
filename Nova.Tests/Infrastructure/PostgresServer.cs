using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Nova.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, on a free loopback port, stopped when the
/// process exits. Each test gets its own database. With NOVA_TEST_PG set, that server is used instead.
/// A machine without PostgreSQL fails the tests that need it: the test command installs it.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<Task<string>> AdminConnectionString = new(StartAsync);
    private static int _databaseCounter;

    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await AdminConnectionString.Value;
        var name = $"nova_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a test database at once, closing its connections, to simulate the server going away.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await AdminConnectionString.Value);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("NOVA_TEST_PG");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return external;
        }
        var bin = FindBinDirectory();
        var root = Directory.CreateTempSubdirectory("nova-pg-");
        // The postgres user must be able to traverse the directory and own the data folder.
        File.SetUnixFileMode(root.FullName, (UnixFileMode)0x1ED);
        var data = Path.Combine(root.FullName, "data");
        var port = FreePort();
        await RunAsync("install", $"-d -o postgres -g postgres {data}");
        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), $"-D {data} -U postgres -A trust -E UTF8 --no-locale --no-sync");
        await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"),
            $"-D {data} -l {data}/server.log -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start");
        ProcessReaper.CleanUpAfterExit(
            $"runuser -u postgres -- {Path.Combine(bin, "pg_ctl")} -D {data} -m immediate -w stop; rm -rf {root.FullName}");
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    private static string FindBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault() ?? throw Missing()
            : throw Missing();

    private static InvalidOperationException Missing() =>
        new("PostgreSQL server binaries were not found under /usr/lib/postgresql. Run ./test.sh, which installs them, or set NOVA_TEST_PG.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, string arguments) =>
        RunAsync("runuser", $"-u postgres -- {program} {arguments}");

    private static async Task RunAsync(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {await stderr}");
        }
    }
}
