namespace Nova.Bench.Circuits;

/// <summary>
/// The page a circuit renders, kept up to date by applying its render batches as blazor.web.js does
/// (BrowserRenderer.applyEdits): each component's edits walk its logical children by sibling index.
/// Enough to find elements, their attributes and event handler ids; nothing is laid out or run.
/// </summary>
public sealed class CircuitDom
{
    private readonly Dictionary<int, DomComponent> _components = [];
    private readonly List<DomComponent> _roots = [];

    public IReadOnlyList<DomComponent> Roots => _roots;

    /// <summary>Components on the page now; each keeps its render tree (twice, the last and the next) on the server.</summary>
    public int ComponentCount => _components.Count;

    /// <summary>A root component the server attached (JS.AttachComponent) where its prerendered markup was.</summary>
    public void AttachRoot(int componentId)
    {
        var root = new DomComponent(componentId);
        _components[componentId] = root;
        _roots.Add(root);
    }

    public void Apply(RenderBatch batch)
    {
        foreach (var diff in batch.UpdatedComponents)
        {
            var component = _components.GetValueOrDefault(diff.ComponentId)
                ?? throw new InvalidOperationException($"The batch updates component {diff.ComponentId}, which is not on the page.");
            ApplyEdits(batch, diff.ComponentId, component, diff.Edits);
        }
        foreach (var id in batch.DisposedComponentIds)
        {
            if (_components.Remove(id, out var disposed))
            {
                _roots.Remove(disposed);
            }
        }
    }

    public IEnumerable<DomElement> Elements() => _roots.SelectMany(r => r.Descendants());

    public DomElement? ByTestId(string testId) => Elements().FirstOrDefault(e => e.Attribute("data-testid") == testId);

    private void ApplyEdits(RenderBatch batch, int componentId, DomNode parent, IReadOnlyList<RenderEdit> edits)
    {
        var depth = 0;
        List<(int From, int To)>? permutation = null;
        foreach (var edit in edits)
        {
            switch (edit.Type)
            {
                case EditType.PrependFrame:
                    InsertFrame(batch, componentId, parent, edit.SiblingIndex, edit.FrameIndex);
                    break;
                case EditType.RemoveFrame:
                    parent.Children.RemoveAt(edit.SiblingIndex);
                    break;
                case EditType.SetAttribute:
                    ApplyAttribute(ElementAt(parent, edit.SiblingIndex), batch.ReferenceFrames[edit.FrameIndex]);
                    break;
                case EditType.RemoveAttribute:
                    var element = ElementAt(parent, edit.SiblingIndex);
                    element.Attributes.Remove(edit.RemovedAttributeName!);
                    element.EventHandlers.Remove(edit.RemovedAttributeName!);
                    break;
                case EditType.UpdateText:
                    var text = parent.Children[edit.SiblingIndex] as DomText
                        ?? throw new InvalidOperationException("Cannot set text content on a child that is not text.");
                    text.Text = batch.ReferenceFrames[edit.FrameIndex].Value ?? "";
                    break;
                case EditType.UpdateMarkup:
                    parent.Children.RemoveAt(edit.SiblingIndex);
                    parent.Insert(edit.SiblingIndex, new DomMarkup(batch.ReferenceFrames[edit.FrameIndex].Value ?? ""));
                    break;
                case EditType.StepIn:
                    parent = parent.Children[edit.SiblingIndex];
                    depth++;
                    break;
                case EditType.StepOut:
                    parent = parent.Parent ?? throw new InvalidOperationException("Stepped out of the page.");
                    depth--;
                    break;
                case EditType.PermutationListEntry:
                    (permutation ??= []).Add((edit.SiblingIndex, edit.FrameIndex));
                    break;
                case EditType.PermutationListEnd:
                    var before = parent.Children.ToArray();
                    permutation?.ForEach(move => parent.Children[move.To] = before[move.From]);
                    permutation = null;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown edit type {edit.Type}.");
            }
        }
        if (depth != 0)
        {
            throw new InvalidOperationException($"The edits of component {componentId} end {depth} levels deep.");
        }
    }

    /// <summary>Inserts the frame and its subtree; returns how many children of <paramref name="parent"/> it added.</summary>
    private int InsertFrame(RenderBatch batch, int componentId, DomNode parent, int childIndex, int frameIndex)
    {
        var frame = batch.ReferenceFrames[frameIndex];
        switch (frame.Type)
        {
            case FrameType.Element:
                var element = new DomElement(frame.Name ?? "", componentId);
                parent.Insert(childIndex, element);
                var end = frameIndex + frame.SubtreeLength;
                var child = frameIndex + 1;
                for (; child < end && batch.ReferenceFrames[child].Type == FrameType.Attribute; child++)
                {
                    ApplyAttribute(element, batch.ReferenceFrames[child]);
                }
                InsertFrameRange(batch, componentId, element, 0, child, end);
                return 1;
            case FrameType.Text:
                parent.Insert(childIndex, new DomText(frame.Value ?? ""));
                return 1;
            case FrameType.Markup:
                parent.Insert(childIndex, new DomMarkup(frame.Value ?? ""));
                return 1;
            case FrameType.Component:
                var component = new DomComponent(frame.ComponentId);
                _components[frame.ComponentId] = component;
                parent.Insert(childIndex, component);
                return 1;
            case FrameType.Region:
                return InsertFrameRange(batch, componentId, parent, childIndex, frameIndex + 1, frameIndex + frame.SubtreeLength);
            case FrameType.ElementReferenceCapture:
                (parent as DomElement ?? throw new InvalidOperationException("A reference capture outside an element."))
                    .Attributes[$"_bl_{frame.Value}"] = "";
                return 0;
            case FrameType.Attribute:
                throw new InvalidOperationException("Attribute frames may only lead an element's children.");
            default:
                return 0;
        }
    }

    private int InsertFrameRange(RenderBatch batch, int componentId, DomNode parent, int childIndex, int start, int end)
    {
        var first = childIndex;
        for (var index = start; index < end; index++)
        {
            childIndex += InsertFrame(batch, componentId, parent, childIndex, index);
            var frame = batch.ReferenceFrames[index];
            if (frame.Type is FrameType.Element or FrameType.Component or FrameType.Region)
            {
                index += frame.SubtreeLength - 1;
            }
        }
        return childIndex - first;
    }

    private static void ApplyAttribute(DomElement element, RenderFrame attribute)
    {
        var name = attribute.Name ?? throw new InvalidOperationException("An attribute frame without a name.");
        if (attribute.EventHandlerId != 0)
        {
            element.EventHandlers[name] = attribute.EventHandlerId;
        }
        else if (attribute.Value is null)
        {
            element.Attributes.Remove(name);
        }
        else
        {
            element.Attributes[name] = attribute.Value;
        }
    }

    private static DomElement ElementAt(DomNode parent, int index) =>
        parent.Children[index] as DomElement ?? throw new InvalidOperationException("Cannot change attributes of a child that is not an element.");
}
