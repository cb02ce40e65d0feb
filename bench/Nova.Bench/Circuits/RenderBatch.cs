namespace Nova.Bench.Circuits;

/// <summary>Frame types as the server writes them (Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrameType).</summary>
public enum FrameType
{
    Element = 1,
    Text = 2,
    Attribute = 3,
    Component = 4,
    Region = 5,
    ElementReferenceCapture = 6,
    ComponentReferenceCapture = 7,
    Markup = 8,
    NamedEvent = 10,
}

/// <summary>Edit types as the server writes them (RenderTreeEditType).</summary>
public enum EditType
{
    PrependFrame = 1,
    RemoveFrame = 2,
    SetAttribute = 3,
    RemoveAttribute = 4,
    UpdateText = 5,
    StepIn = 6,
    StepOut = 7,
    UpdateMarkup = 8,
    PermutationListEntry = 9,
    PermutationListEnd = 10,
}

/// <summary>
/// One frame of a render tree. <see cref="Name"/> is an element's or attribute's name; <see cref="Value"/>
/// an attribute's value (empty for a true boolean, null for false or for an event handler), a text or markup.
/// </summary>
public readonly record struct RenderFrame(FrameType Type, int SubtreeLength, string? Name, string? Value, int ComponentId, ulong EventHandlerId);

/// <summary>
/// One edit of a component's output. <see cref="FrameIndex"/> points into the batch's reference frames,
/// except for a permutation entry, where it is the sibling index the child moves to.
/// </summary>
public readonly record struct RenderEdit(EditType Type, int SiblingIndex, int FrameIndex, string? RemovedAttributeName);

public sealed record ComponentDiff(int ComponentId, IReadOnlyList<RenderEdit> Edits);

/// <summary>A render batch as the server sent it: what changed in which components, and every string it carried.</summary>
public sealed record RenderBatch(
    IReadOnlyList<ComponentDiff> UpdatedComponents,
    IReadOnlyList<RenderFrame> ReferenceFrames,
    IReadOnlyList<int> DisposedComponentIds,
    IReadOnlyList<ulong> DisposedEventHandlerIds,
    IReadOnlyList<string> Strings);
