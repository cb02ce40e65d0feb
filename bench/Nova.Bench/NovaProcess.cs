using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nova.Bench;

/// <summary>Nova.App from its build output as a child process on a free loopback port, with its own data folder.</summary>
public sealed class NovaProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NovaProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>The last lines Nova wrote (warnings and errors), to explain a failure.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Starts Nova on <paramref name="port"/> (a free one when null: a restarted replica keeps its address).</summary>
    public static NovaProcess Start(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        port ??= FreePort();
        var start = new ProcessStartInfo("dotnet", [AppDll(), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(AppDll())!,
        };
        // Development serves the static web assets straight from the build output (no publish step).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ConnectionStrings__Nova"] = $"Data Source={Path.Combine(dataDirectory, "nova.db")}";
        start.Environment["Nova__DataProtection__KeysPath"] = Path.Combine(dataDirectory, "keys");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Nova.App");
        var nova = new NovaProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => nova.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => nova.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return nova;
    }

    /// <summary>Polls /health/ready until it answers 200 and returns how long that took since <paramref name="since"/>.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(Stopwatch since, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (since.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Nova.App exited with code {_process.ExitCode}");
            }
            try
            {
                using var response = await client.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return since.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the client's timeout.
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"Nova was not ready within {timeout}.");
    }

    public int Port => BaseAddress.Port;

    /// <summary>Stops Nova as an orchestrator does (SIGTERM): it drains, then exits.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Kills Nova at once (SIGKILL): nothing of it runs any more, as when its machine dies.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private static string AppDll()
    {
        // bench/Nova.Bench/bin/<Configuration>/net10.0 -> Nova.App/bin/<Configuration>/net10.0
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = framework.Parent!.Name;
        var dll = Path.Combine(BenchOptions.RepositoryRoot(), "Nova.App", "bin", configuration, framework.Name, "Nova.App.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Nova.App ({configuration}) first.", dll);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
