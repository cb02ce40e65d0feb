using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Nova.Bench.Circuits;

/// <summary>A render batch as it reached the client: when (Stopwatch ticks), its size, and what it held.</summary>
public sealed record ReceivedBatch(long Id, long ArrivedAt, int Bytes, RenderBatch Batch);

/// <summary>
/// A Blazor Server circuit driven without a browser, speaking what blazor.web.js speaks over the
/// <c>_blazor</c> hub: start the circuit, add the page's prerendered server components, apply and
/// acknowledge every render batch, answer JavaScript calls, and dispatch browser events.
/// </summary>
public sealed class BlazorCircuit : IAsyncDisposable
{
    private readonly SignedInUser _user;
    private readonly HubConnection _connection;
    private readonly BlazorPackProtocol _protocol;
    private readonly PageScripts _scripts = new();
    private readonly CircuitDom _dom = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> _dotNetCalls = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextCallId;
    private int _batches;
    private string? _secret;

    private BlazorCircuit(SignedInUser user, HubConnection connection, BlazorPackProtocol protocol, Uri pageUri)
    {
        _user = user;
        _connection = connection;
        _protocol = protocol;
        PageUri = pageUri;
    }

    public Uri PageUri { get; private set; }

    /// <summary>Called for each render batch after it is applied to <see cref="Query{T}"/>'s page, before it is acknowledged.</summary>
    public Action<ReceivedBatch>? OnBatch { get; set; }

    public long BytesReceived => _protocol.BytesReceived;

    public long BytesSent => _protocol.BytesSent;

    public int Batches => Volatile.Read(ref _batches);

    /// <summary>What went wrong in this circuit: errors the server reported, batches that could not be applied.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    public IReadOnlyDictionary<string, int> ScriptCalls
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_scripts.Calls);
            }
        }
    }

    /// <summary>Loads the page (prerendered, with the user's cookie), connects and waits until <paramref name="ready"/> holds on the page.</summary>
    public static async Task<BlazorCircuit> OpenAsync(SignedInUser user, string path, Func<CircuitDom, bool> ready, TimeSpan timeout)
    {
        var pageUri = new Uri(user.BaseAddress, path);
        using var response = await user.Http.GetAsync(pageUri);
        var html = await response.Content.ReadAsStringAsync();
        var page = PrerenderedPage.Parse(html);
        if (!response.IsSuccessStatusCode || page.ServerComponents.Count == 0)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} without interactive server components.");
        }

        var protocol = new BlazorPackProtocol();
        var builder = new HubConnectionBuilder().WithUrl(new Uri(user.BaseAddress, "_blazor"), options =>
        {
            options.Cookies = user.Cookies;
            options.Transports = HttpTransportType.WebSockets;
        });
        builder.Services.AddSingleton<IHubProtocol>(protocol);
        var circuit = new BlazorCircuit(user, builder.Build(), protocol, pageUri);
        circuit.Listen();
        try
        {
            await circuit._connection.StartAsync();
            circuit._secret = await circuit._connection.InvokeAsync<string?>(
                "StartCircuit", user.BaseAddress.ToString(), pageUri.ToString(), "[]", page.ApplicationState)
                ?? throw new InvalidOperationException($"The server refused to start a circuit on {path}.");
            await circuit._connection.SendAsync("UpdateRootComponents", page.AddOperations(batchId: 1), page.ApplicationState);
            // Events reach the server through the renderer's interop object, which the server hands over in a script call.
            await circuit.WaitForAsync(dom => ready(dom) && circuit._scripts.RendererInteropObjectId is not null, timeout);
            return circuit;
        }
        catch (TimeoutException e)
        {
            await circuit.DisposeAsync();
            throw new TimeoutException($"{path}: {e.Message} {circuit.Describe()}", e);
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the page under the lock that batches are applied under.</summary>
    public T Query<T>(Func<CircuitDom, T> read)
    {
        lock (_gate)
        {
            return read(_dom);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the page, checked after every batch.</summary>
    public async Task WaitForAsync(Func<CircuitDom, bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_dom))
                {
                    return;
                }
                changed = _changed.Task;
            }
            if (!_errors.IsEmpty)
            {
                throw new InvalidOperationException($"The circuit failed: {string.Join("; ", _errors)}");
            }
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new TimeoutException($"The page did not reach the expected state within {timeout} ({Batches} batches).");
            }
        }
    }

    /// <summary>
    /// Dispatches a browser event to a handler, as the browser's event delegator does, and waits until the
    /// server has handled it. <paramref name="fieldValue"/> is what a bound input now holds.
    /// </summary>
    public async Task DispatchEventAsync(DomElement element, string eventName, JsonObject eventArgs, string? fieldValue = null)
    {
        ulong handler;
        long interop;
        lock (_gate)
        {
            handler = element.EventHandlers.GetValueOrDefault($"on{eventName}");
            interop = _scripts.RendererInteropObjectId ?? throw new InvalidOperationException("The renderer has not attached its interop object yet.");
        }
        if (handler == 0)
        {
            throw new InvalidOperationException($"{element} has no {eventName} handler.");
        }
        var descriptor = new JsonObject
        {
            ["eventHandlerId"] = handler,
            ["eventName"] = eventName,
            ["eventFieldInfo"] = fieldValue is null ? null : new JsonObject { ["componentId"] = element.RenderingComponentId, ["fieldValue"] = fieldValue },
        };
        var callId = Interlocked.Increment(ref _nextCallId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _dotNetCalls[callId] = done;
        await _connection.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", interop, new JsonArray(descriptor, eventArgs).ToJsonString());
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The server did not handle the {eventName} event within 2 minutes. {string.Join("; ", _errors)}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        if (_secret is not null)
        {
            // As the browser does when a page goes away: the circuit is released now rather than kept for reconnection.
            using var form = new MultipartFormDataContent { { new StringContent(_secret), "circuitId" } };
            using var response = await _user.Http.PostAsync("_blazor/disconnect", form);
        }
    }

    /// <summary>What the page holds, to explain a page that never got where it was expected to.</summary>
    private string Describe() => Query(dom =>
        $"Renderer interop attached: {_scripts.RendererInteropObjectId is not null}; {dom.ComponentCount} components; test ids on the page: "
        + string.Join(", ", dom.Elements().Select(e => e.Attribute("data-testid")).OfType<string>().Distinct().Take(20)));

    private void Listen()
    {
        _connection.On("JS.AttachComponent", [typeof(int), typeof(string)], args =>
        {
            lock (_gate)
            {
                _dom.AttachRoot((int)args[0]!);
            }
            return Task.CompletedTask;
        });
        _connection.On("JS.RenderBatch", [typeof(long), typeof(byte[])], args => ReceiveBatchAsync((long)args[0]!, (byte[])args[1]!));
        _connection.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)],
            args => AnswerScriptAsync((long)args[0]!, (string)args[1]!, (string)args[2]!, (int)args[3]!));
        _connection.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], args =>
        {
            if (_dotNetCalls.TryRemove((string)args[0]!, out var call))
            {
                if ((bool)args[1]!)
                {
                    call.TrySetResult((string?)args[2]);
                }
                else
                {
                    call.TrySetException(new InvalidOperationException($"The server failed a call from the page: {args[2]}"));
                }
            }
            return Task.CompletedTask;
        });
        _connection.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        _connection.On("JS.Error", [typeof(string)], args =>
        {
            Fail($"the server reported: {args[0]}");
            return Task.CompletedTask;
        });
        _connection.Closed += error =>
        {
            if (error is not null)
            {
                Fail($"the connection closed: {error.Message}");
            }
            return Task.CompletedTask;
        };
    }

    private async Task ReceiveBatchAsync(long id, byte[] data)
    {
        var arrived = Stopwatch.GetTimestamp();
        try
        {
            var received = new ReceivedBatch(id, arrived, data.Length, RenderBatchReader.Read(data));
            lock (_gate)
            {
                _dom.Apply(received.Batch);
                _batches++;
                OnBatch?.Invoke(received);
            }
            await _connection.SendAsync("OnRenderCompleted", id, null);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            Fail($"batch {id} could not be applied: {e.Message}");
            await _connection.SendAsync("OnRenderCompleted", id, e.Message);
        }
        finally
        {
            Signal();
        }
    }

    private async Task AnswerScriptAsync(long asyncHandle, string identifier, string argsJson, int resultType)
    {
        string answer;
        lock (_gate)
        {
            answer = _scripts.Answer(asyncHandle, identifier, argsJson, resultType);
        }
        if (asyncHandle != 0)
        {
            await _connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, answer);
        }
        if (PageScripts.NavigationTarget(identifier, argsJson) is { } target)
        {
            // The browser moves in its history and tells the server, whose router then shows the new page.
            PageUri = new Uri(_user.BaseAddress, target);
            await _connection.SendAsync("OnLocationChanged", PageUri.ToString(), null, false);
        }
        Signal();
    }

    private void Fail(string error)
    {
        _errors.Enqueue(error);
        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
