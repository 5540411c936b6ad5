using System.Globalization;
using Annals.Storage;

namespace Annals.TestWorker;

/// <summary>A commit whose writer got its result: where the store said its events are.</summary>
public sealed record AcknowledgedCommit(StreamName Stream, long FirstRevision, long LastRevision, long FirstPosition, long LastPosition, Guid[] EventIds)
{
    public static AcknowledgedCommit From(AppendResult append, IEnumerable<EventData> events) =>
        new(append.Stream, append.FirstRevision, append.LastRevision, append.FirstPosition, append.LastPosition, [.. events.Select(e => e.EventId)]);

    /// <summary>Reads a worker's line <c>ACK stream firstRevision lastRevision firstPosition lastPosition id,id,... .</c>; null for any other line.</summary>
    public static AcknowledgedCommit? Parse(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 8 || parts[0] != "ACK" || parts[^1] != ".")
        {
            return null;
        }

        long Number(int i) => long.Parse(parts[i], CultureInfo.InvariantCulture);
        return new(StreamName.Parse(parts[1]), Number(2), Number(3), Number(4), Number(5), [.. parts[6].Split(',').Select(Guid.Parse)]);
    }

    public override string ToString() => $"{Stream}@{FirstRevision}..{LastRevision} at positions {FirstPosition}..{LastPosition} ({EventIds.Length} events)";
}
