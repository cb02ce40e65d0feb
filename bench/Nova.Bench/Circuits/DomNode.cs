using System.Text;

namespace Nova.Bench.Circuits;

/// <summary>
/// A node of the page as the circuit built it: Blazor's logical tree, where a component is a container
/// with its own children (in the browser, a comment marking where its nodes go).
/// </summary>
public abstract class DomNode
{
    public DomNode? Parent { get; internal set; }

    public List<DomNode> Children { get; } = [];

    internal void Insert(int index, DomNode child)
    {
        child.Parent = this;
        Children.Insert(index, child);
    }

    public IEnumerable<DomElement> Descendants()
    {
        foreach (var child in Children)
        {
            if (child is DomElement element)
            {
                yield return element;
            }
            foreach (var descendant in child.Descendants())
            {
                yield return descendant;
            }
        }
    }

    /// <summary>The text under this node; markup blocks count as their HTML.</summary>
    public string TextContent()
    {
        var text = new StringBuilder();
        AppendText(text);
        return text.ToString();
    }

    internal virtual void AppendText(StringBuilder text) => Children.ForEach(c => c.AppendText(text));
}

public sealed class DomElement(string name, int renderingComponentId) : DomNode
{
    public string Name { get; } = name;

    /// <summary>The component whose output holds this element: events on it name that component.</summary>
    public int RenderingComponentId { get; } = renderingComponentId;

    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>Event handler ids by attribute name, e.g. <c>onsubmit</c>.</summary>
    public Dictionary<string, ulong> EventHandlers { get; } = new(StringComparer.Ordinal);

    public string? Attribute(string name) => Attributes.GetValueOrDefault(name);

    public override string ToString() => $"<{Name} {string.Join(' ', Attributes.Select(a => $"{a.Key}=\"{a.Value}\""))}>";
}

public sealed class DomText(string text) : DomNode
{
    public string Text { get; set; } = text;

    internal override void AppendText(StringBuilder text) => text.Append(Text);
}

public sealed class DomMarkup(string html) : DomNode
{
    public string Html { get; } = html;

    internal override void AppendText(StringBuilder text) => text.Append(Html);
}

public sealed class DomComponent(int componentId) : DomNode
{
    public int ComponentId { get; } = componentId;
}
