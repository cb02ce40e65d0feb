using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Nova.Bench.Circuits;

/// <summary>
/// What blazor.web.js reads from a prerendered page before it opens a circuit: the start markers of the
/// interactive server components (<c>&lt;!--Blazor:{"type":"server",...}--&gt;</c>) and the persisted
/// component state (<c>&lt;!--Blazor-Server-Component-State:...--&gt;</c>).
/// </summary>
public sealed partial record PrerenderedPage(IReadOnlyList<JsonObject> ServerComponents, string ApplicationState)
{
    public static PrerenderedPage Parse(string html)
    {
        var components = Markers().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups["descriptor"].Value)!.AsObject())
            .Where(marker => (string?)marker["type"] == "server" && marker["descriptor"] is not null)
            .OrderBy(marker => (int?)marker["sequence"] ?? 0)
            .ToList();
        return new PrerenderedPage(components, State().Match(html) is { Success: true } state ? state.Groups["state"].Value : "");
    }

    /// <summary>
    /// The operations that add every server component, as blazor.web.js sends them in UpdateRootComponents:
    /// each marker under an id of the client's choosing, which the server hands back in JS.AttachComponent.
    /// </summary>
    public string AddOperations(long batchId)
    {
        var operations = new JsonArray();
        for (var i = 0; i < ServerComponents.Count; i++)
        {
            var marker = ServerComponents[i].DeepClone().AsObject();
            marker["uniqueId"] = i;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker });
        }
        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString();
    }

    [GeneratedRegex(@"<!--\s*Blazor:[^{]*(?<descriptor>\{.*?\})\s*-->", RegexOptions.Singleline)]
    private static partial Regex Markers();

    [GeneratedRegex(@"<!--\s*Blazor-Server-Component-State:(?<state>[a-zA-Z0-9+/=]+)\s*-->")]
    private static partial Regex State();
}
