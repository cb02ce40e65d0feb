using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nova.Fakes;

/// <summary>
/// A protocol-level S3 on loopback, path-style (<c>/bucket/key</c>), with objects in memory: the REST calls Nova's
/// S3 file store makes through AWSSDK.S3 — PutObject, GetObject, HeadObject, DeleteObject and HeadBucket — answered
/// as S3 answers them, errors as S3's XML. Signatures are not checked, but a request without an Authorization header
/// is refused as S3 would. Faults: <see cref="FailNext"/> (the next requests answer a status), <see cref="Fault"/> (every
/// request does until cleared), <see cref="FaultFor"/> (chosen per request), <see cref="Latency"/>, and <see cref="StopAsync"/> for a store that does not answer.
/// </summary>
public sealed class FakeS3Server : IAsyncDisposable
{
    public const string AccessKey = "fake-access-key";
    public const string SecretKey = "fake-secret-key";

    private readonly ConcurrentDictionary<string, byte> _buckets = new();
    private readonly ConcurrentDictionary<(string Bucket, string Key), byte[]> _objects = new();
    private readonly ConcurrentQueue<HttpStatusCode> _nextFaults = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication? _app;
    private int _port;

    /// <summary>Every request answers this status until set back to null.</summary>
    public HttpStatusCode? Fault { get; set; }

    /// <summary>Chooses a status per request (e.g. only reads fail); null lets the request through.</summary>
    public Func<HttpRequest, HttpStatusCode?>? FaultFor { get; set; }

    public TimeSpan Latency { get; set; }

    public Uri ServiceUrl => _port == 0 ? throw new InvalidOperationException("The fake server has not been started.") : new($"http://127.0.0.1:{_port}/");

    /// <summary>"METHOD /bucket/key" for every request received, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<FakeS3Server> StartAsync(params string[] buckets)
    {
        var server = new FakeS3Server();
        foreach (var bucket in buckets)
        {
            server.CreateBucket(bucket);
        }
        await server.RestartAsync();
        return server;
    }

    public void CreateBucket(string bucket) => _buckets.TryAdd(bucket, 0);

    /// <summary>The keys of the objects in <paramref name="bucket"/>.</summary>
    public IReadOnlyList<string> Keys(string bucket) => [.. _objects.Keys.Where(k => k.Bucket == bucket).Select(k => k.Key)];

    public byte[]? Object(string bucket, string key) => _objects.GetValueOrDefault((bucket, key));

    /// <summary>The next <paramref name="times"/> requests answer <paramref name="status"/> (500, 503, 403…) with S3's error body.</summary>
    public void FailNext(HttpStatusCode status, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _nextFaults.Enqueue(status);
        }
    }

    /// <summary>Listens again after <see cref="StopAsync"/>, on the same port, with the objects it held.</summary>
    public async Task RestartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The fake server is already running.");
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    /// <summary>Stops listening, as a store that went down; <see cref="RestartAsync"/> brings it back.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(new CancellationToken(canceled: true));
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = Uri.UnescapeDataString(request.Path.Value ?? "/").TrimStart('/');
        _requests.Enqueue($"{request.Method} /{path}");
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }
        if ((_nextFaults.TryDequeue(out var next) ? next : Fault ?? FaultFor?.Invoke(request)) is { } fault)
        {
            await ErrorAsync(context, fault, fault switch
            {
                HttpStatusCode.Forbidden => "AccessDenied",
                HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
                _ => "InternalError",
            }, "A fault the test asked for.");
            return;
        }
        if (string.IsNullOrEmpty(request.Headers.Authorization))
        {
            await ErrorAsync(context, HttpStatusCode.Forbidden, "AccessDenied", "Anonymous access is not allowed.");
            return;
        }
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var key = slash < 0 ? "" : path[(slash + 1)..];
        if (!_buckets.ContainsKey(bucket))
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "NoSuchBucket", "The specified bucket does not exist.");
            return;
        }
        if (key.Length == 0)
        {
            // HeadBucket: the bucket is there.
            context.Response.StatusCode = request.Method == HttpMethods.Head ? 200 : 501;
            return;
        }
        switch (request.Method)
        {
            case "PUT":
                await PutAsync(context, bucket, key);
                break;
            case "GET" or "HEAD" when _objects.TryGetValue((bucket, key), out var content):
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = content.Length;
                context.Response.Headers.ETag = ETag(content);
                context.Response.Headers.LastModified = DateTimeOffset.UnixEpoch.ToString("R", CultureInfo.InvariantCulture);
                if (request.Method == "GET")
                {
                    await context.Response.Body.WriteAsync(content, context.RequestAborted);
                }
                break;
            case "GET" or "HEAD":
                await ErrorAsync(context, HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.");
                break;
            case "DELETE":
                _objects.TryRemove((bucket, key), out _);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await ErrorAsync(context, HttpStatusCode.NotImplemented, "NotImplemented", "The fake does not implement this call.");
                break;
        }
    }

    private async Task PutAsync(HttpContext context, string bucket, string key)
    {
        if (context.Request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase))
        {
            // Nova sends one signed body (UseChunkEncoding = false); chunk-signed frames here mean that setting was lost.
            await ErrorAsync(context, HttpStatusCode.NotImplemented, "NotImplemented", "The fake does not decode aws-chunked bodies.");
            return;
        }
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var content = body.ToArray();
        _objects[(bucket, key)] = content;
        context.Response.Headers.ETag = ETag(content);
    }

    private static string ETag(byte[] content) => $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";

    private static async Task ErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        if (context.Request.Method == HttpMethods.Head)
        {
            return;
        }
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(
            $"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message><RequestId>fake</RequestId></Error>""",
            context.RequestAborted);
    }
}
