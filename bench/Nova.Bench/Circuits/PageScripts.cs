using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nova.Bench.Circuits;

/// <summary>
/// Answers the JavaScript calls a circuit makes into its page as a page without scripts would, harmlessly
/// and at once: modules and objects come back as fresh object references, facts a browser always knows
/// (its time zone) as a browser in UTC, everything else as null. Two
/// calls matter: the renderer's interop object (browser events are dispatched through it) and navigation.
/// </summary>
public sealed class PageScripts
{
    private const string AttachRendererInterop = "Blazor._internal.attachWebRendererInterop";
    private const string NavigateTo = "Blazor._internal.navigationManager.navigateTo";
    private const int ObjectReferenceResult = 1;

    /// <summary>Calls whose answer a browser never leaves empty, answered as a browser in UTC would.</summary>
    private static readonly Dictionary<string, JsonNode> BrowserFacts = new(StringComparer.Ordinal)
    {
        ["timeZone"] = "UTC",
    };

    private long _nextObjectId = 1;

    /// <summary>The .NET object that receives this page's browser events (DispatchEventAsync).</summary>
    public long? RendererInteropObjectId { get; private set; }

    /// <summary>Calls made so far, by identifier: what the server asks of a page.</summary>
    public Dictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>The JSON that EndInvokeJSFromDotNet carries back: <c>[handle, true, result]</c>.</summary>
    public string Answer(long asyncHandle, string identifier, string argsJson, int resultType)
    {
        Calls[identifier] = Calls.GetValueOrDefault(identifier) + 1;
        JsonNode? result = null;
        if (identifier == AttachRendererInterop)
        {
            RendererInteropObjectId = JsonNode.Parse(argsJson)![1]!["__dotNetObject"]!.GetValue<long>();
        }
        else if (resultType == ObjectReferenceResult)
        {
            result = new JsonObject { ["__jsObjectId"] = Interlocked.Increment(ref _nextObjectId) };
        }
        else if (BrowserFacts.TryGetValue(identifier, out var fact))
        {
            result = fact.DeepClone();
        }
        return new JsonArray(asyncHandle, true, result).ToJsonString();
    }

    /// <summary>Where the server asked the page to go, when the call is a navigation within the app.</summary>
    public static string? NavigationTarget(string identifier, string argsJson)
    {
        if (identifier != NavigateTo)
        {
            return null;
        }
        using var args = JsonDocument.Parse(argsJson);
        var options = args.RootElement.GetArrayLength() > 1 ? args.RootElement[1] : default;
        var forceLoad = options.ValueKind == JsonValueKind.Object && options.TryGetProperty("forceLoad", out var force) && force.GetBoolean();
        return forceLoad ? null : args.RootElement[0].GetString();
    }
}
