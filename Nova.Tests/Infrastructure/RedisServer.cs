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
        return RedisProcess.Start(FreePort()).ConnectionString;
    }

    /// <summary>A redis-server of its own, for a test that stops and restarts it.</summary>
    public sealed class RedisProcess : IDisposable
    {
        private const string Server = "/usr/bin/redis-server";
        private readonly int _port;
        private readonly string _directory = Directory.CreateTempSubdirectory("nova-redis-").FullName;
        private Process? _process;

        private RedisProcess(int port) => _port = port;

        public string ConnectionString => $"127.0.0.1:{_port}";

        public static RedisProcess Start(int port)
        {
            if (!File.Exists(Server))
            {
                throw new InvalidOperationException($"{Server} is missing. Run ./test.sh, which installs Debian's redis-server, or set NOVA_TEST_REDIS.");
            }
            var redis = new RedisProcess(port);
            redis.Resume();
            return redis;
        }

        /// <summary>Starts it again on the same port after <see cref="Stop"/>, with what it had written to its append-only file.</summary>
        public void Resume()
        {
            _process = Process.Start(new ProcessStartInfo(Server,
                $"--bind 127.0.0.1 --port {_port} --save \"\" --appendonly yes --appendfsync always --dir {_directory}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("Could not start redis-server");
            ProcessReaper.CleanUpAfterExit($"kill -9 {_process.Id}; rm -rf {_directory}");
            WaitUntilListening(_port, _process);
        }

        /// <summary>Kills it, as an outage would; like a production Redis it keeps its data (the key ring) on disk.</summary>
        public void Stop()
        {
            _process?.Kill();
            _process?.WaitForExit();
            _process?.Dispose();
            _process = null;
        }

        public void Dispose()
        {
            Stop();
            Directory.Delete(_directory, recursive: true);
        }
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
