namespace Annals.Bench.Data;

/// <summary>
/// The events of a store prepared for reading: stream k holds the events numbered from
/// k × stream size, and commits group whole streams up to about 1000 events. Store and raw
/// preparations follow it with the same random seed, so both hold the same rows.
/// </summary>
internal sealed class PreparedLayout(int events, int streamSize)
{
    public const int Seed = 42;

    private const int EventsPerCommit = 1000;

    public int Events => events;

    public int StreamCount => (events + streamSize - 1) / streamSize;

    public int EventsIn(int stream) => Math.Min(streamSize, events - (stream * streamSize));

    /// <summary>The streams of each preparation commit.</summary>
    public IEnumerable<Range> Commits()
    {
        var perCommit = Math.Max(1, EventsPerCommit / streamSize);
        for (var first = 0; first < StreamCount; first += perCommit)
        {
            yield return first..Math.Min(first + perCommit, StreamCount);
        }
    }
}
