using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nova.Tests.Infrastructure;

/// <summary>
/// One throwaway redis-server per test run on a free loopback port, stopped when the process
/// exits. With NOVA_TEST_REDIS set, that server is used instead. Tests isolate themselves with
/// their own key prefixes or databases.
/// </summary>
internal static class RedisServer
{
    private static readonly Lazy<string> Address = new(Start);

    public static string ConnectionString => Address.Value;

    private static string Start()
    {
        var external = Environment.GetEnvironmentVariable("NOVA_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return external;
        }
        const string server = "/usr/bin/redis-server";
        if (!File.Exists(server))
        {
            throw new InvalidOperationException($"{server} is missing. Run ./test.sh, which installs Debian's redis-server, or set NOVA_TEST_REDIS.");
        }
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("nova-redis-").FullName;
        var process = Process.Start(new ProcessStartInfo(server,
            $"--bind 127.0.0.1 --port {port} --save \"\" --appendonly no --dir {directory}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start redis-server");
        ProcessReaper.CleanUpAfterExit($"kill -9 {process.Id}; rm -rf {directory}");
        WaitUntilListening(port, process);
        return $"127.0.0.1:{port}";
    }

    private static void WaitUntilListening(int port, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited: {process.StandardError.ReadToEnd()}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: redis-server takes a few hundred milliseconds to start.
                Thread.Yield();
            }
        }
        throw new TimeoutException("redis-server did not start listening within 10 seconds.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
