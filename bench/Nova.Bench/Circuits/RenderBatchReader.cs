using System.Buffers.Binary;
using System.Text;

namespace Nova.Bench.Circuits;

/// <summary>
/// Reads the binary render batch of a Blazor Server circuit (the server's RenderBatchWriter; the browser's
/// OutOfProcessRenderBatch). Sections come first and a table of their offsets last: updated components,
/// reference frames, disposed component ids, disposed event handler ids, the string table. Frames are 20
/// bytes and edits 16, so both can be indexed; strings are length-prefixed UTF-8 referred to by index.
/// </summary>
public static class RenderBatchReader
{
    private const int FrameSize = 20;
    private const int EditSize = 16;

    public static RenderBatch Read(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < 20)
        {
            throw new FormatException($"A render batch has at least 20 bytes of offsets; this one has {batch.Length}.");
        }
        var strings = ReadStrings(batch, Int32(batch, batch.Length - 4));
        string? Text(int index) => index == -1 ? null : strings[index];

        return new RenderBatch(
            ReadUpdatedComponents(batch, Int32(batch, batch.Length - 20), Text),
            ReadFrames(batch, Int32(batch, batch.Length - 16), Text),
            ReadInt32s(batch, Int32(batch, batch.Length - 12)),
            ReadUInt64s(batch, Int32(batch, batch.Length - 8)),
            strings);
    }

    private static List<ComponentDiff> ReadUpdatedComponents(ReadOnlySpan<byte> batch, int offset, Func<int, string?> text)
    {
        var count = Int32(batch, offset);
        var diffs = new List<ComponentDiff>(count);
        for (var i = 0; i < count; i++)
        {
            var diff = Int32(batch, offset + 4 + 4 * i);
            var edits = new RenderEdit[Int32(batch, diff + 4)];
            for (var e = 0; e < edits.Length; e++)
            {
                var edit = diff + 8 + EditSize * e;
                edits[e] = new RenderEdit((EditType)Int32(batch, edit), Int32(batch, edit + 4), Int32(batch, edit + 8), text(Int32(batch, edit + 12)));
            }
            diffs.Add(new ComponentDiff(Int32(batch, diff), edits));
        }
        return diffs;
    }

    private static RenderFrame[] ReadFrames(ReadOnlySpan<byte> batch, int offset, Func<int, string?> text)
    {
        var frames = new RenderFrame[Int32(batch, offset)];
        for (var i = 0; i < frames.Length; i++)
        {
            var frame = offset + 4 + FrameSize * i;
            var type = (FrameType)Int32(batch, frame);
            frames[i] = type switch
            {
                FrameType.Element => new RenderFrame(type, Int32(batch, frame + 4), text(Int32(batch, frame + 8)), null, 0, 0),
                FrameType.Attribute => new RenderFrame(type, 0, text(Int32(batch, frame + 4)), text(Int32(batch, frame + 8)), 0,
                    BinaryPrimitives.ReadUInt64LittleEndian(batch[(frame + 12)..])),
                FrameType.Component => new RenderFrame(type, Int32(batch, frame + 4), null, null, Int32(batch, frame + 8), 0),
                FrameType.Region => new RenderFrame(type, Int32(batch, frame + 4), null, null, 0, 0),
                FrameType.Text or FrameType.Markup or FrameType.ElementReferenceCapture => new RenderFrame(type, 0, null, text(Int32(batch, frame + 4)), 0, 0),
                _ => new RenderFrame(type, 0, null, null, 0, 0),
            };
        }
        return frames;
    }

    private static int[] ReadInt32s(ReadOnlySpan<byte> batch, int offset)
    {
        var values = new int[Int32(batch, offset)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Int32(batch, offset + 4 + 4 * i);
        }
        return values;
    }

    private static ulong[] ReadUInt64s(ReadOnlySpan<byte> batch, int offset)
    {
        var values = new ulong[Int32(batch, offset)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(batch[(offset + 4 + 8 * i)..]);
        }
        return values;
    }

    /// <summary>The string table: an offset per string, each string a 7-bit-encoded length and UTF-8 bytes.</summary>
    private static string[] ReadStrings(ReadOnlySpan<byte> batch, int table)
    {
        var strings = new string[(batch.Length - 20 - table) / 4];
        for (var i = 0; i < strings.Length; i++)
        {
            var position = Int32(batch, table + 4 * i);
            var length = 0;
            var shift = 0;
            byte part;
            do
            {
                part = batch[position++];
                length |= (part & 0x7F) << shift;
                shift += 7;
            }
            while (part >= 0x80);
            strings[i] = Encoding.UTF8.GetString(batch.Slice(position, length));
        }
        return strings;
    }

    private static int Int32(ReadOnlySpan<byte> batch, int offset) => BinaryPrimitives.ReadInt32LittleEndian(batch[offset..]);
}
