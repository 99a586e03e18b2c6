using System.IO.Compression;
using System.Text;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Persistence;

/// <summary>
/// A run of journal rows in one compressed value: what an ended instance's journal is stored as.
/// Every field of every row is kept as given (the JSON text byte for byte, the instant as UTC ticks
/// as <c>journal_events</c> keeps it), so a journal reads back the same from a segment as from rows.
/// </summary>
/// <remarks>
/// Events of one conversation repeat their field names, element ids and texts, which compression
/// over the whole journal removes (about 9× on a WhatsApp conversation) and compression of each row
/// on its own does not (about 1.2×). Format 1: a format byte, then Brotli of (count, then per row:
/// sequence, type, UTC ticks, actor or none, JSON).
/// </remarks>
internal static class JournalSegment
{
    private const byte Format = 1;

    // Brotli quality 5: most of the gain of the slow qualities at a fraction of their CPU.
    private const int Quality = 5;
    private const int Window = 22;

    public static byte[] Encode(IReadOnlyList<JournalRecord> events)
    {
        using var plain = new MemoryStream();
        using (var writer = new BinaryWriter(plain, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write7BitEncodedInt(events.Count);
            foreach (var e in events)
            {
                writer.Write7BitEncodedInt64(e.Sequence);
                writer.Write(e.Type);
                writer.Write(e.At.UtcTicks);
                writer.Write(e.Actor is not null);
                if (e.Actor is not null)
                {
                    writer.Write(e.Actor);
                }

                writer.Write(e.Json);
            }
        }

        var input = plain.GetBuffer().AsSpan(0, (int)plain.Length);
        var output = new byte[1 + BrotliEncoder.GetMaxCompressedLength(input.Length)];
        output[0] = Format;
        if (!BrotliEncoder.TryCompress(input, output.AsSpan(1), out var written, Quality, Window))
        {
            throw new InvalidOperationException("the journal segment did not compress");
        }

        return output.AsSpan(0, 1 + written).ToArray();
    }

    public static List<JournalRecord> Decode(Guid instanceId, byte[] segment)
    {
        if (segment.Length == 0 || segment[0] != Format)
        {
            throw new InvalidDataException($"Instance {instanceId}: the journal segment is not in a known format.");
        }

        using var brotli = new BrotliStream(new MemoryStream(segment, 1, segment.Length - 1), CompressionMode.Decompress);
        using var reader = new BinaryReader(brotli, Encoding.UTF8);
        var count = reader.Read7BitEncodedInt();
        var events = new List<JournalRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var sequence = reader.Read7BitEncodedInt64();
            var type = reader.ReadString();
            var at = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var actor = reader.ReadBoolean() ? reader.ReadString() : null;
            events.Add(new JournalRecord(instanceId, sequence, type, at, actor, reader.ReadString()));
        }

        return events;
    }
}
