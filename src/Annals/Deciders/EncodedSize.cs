using Annals.Storage;

namespace Annals.Deciders;

/// <summary>The bytes an event or a snapshot takes in its encoded form, which the decision cache counts as the size of the states folded from them.</summary>
internal static class EncodedSize
{
    public static long Of(RecordedEvent record) => record.Data.Length + record.Type.Length + OfMetadata(record.Metadata);

    public static long Of(EventData data) => data.Data.Length + data.Type.Length + OfMetadata(data.Metadata);

    public static long Of(List<EventData> events)
    {
        long bytes = 0;
        foreach (var e in events)
        {
            bytes += Of(e);
        }

        return bytes;
    }

    public static long Of(Snapshot snapshot) => snapshot.Data.Length + snapshot.Type.Length;

    private static long OfMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        long bytes = 0;
        foreach (var (key, value) in metadata)
        {
            bytes += key.Length + value.Length;
        }

        return bytes;
    }
}
