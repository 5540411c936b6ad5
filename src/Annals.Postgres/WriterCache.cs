using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Postgres;

/// <summary>
/// What the writer knows of the database from its own last commit: the head it left and the rows
/// of the streams it read or wrote since. The fast path decides a group from this alone, and the
/// group's guard compares it with the database under the head lock, so a stale entry costs a
/// fallback, never a wrong decision.
/// </summary>
internal sealed class WriterCache
{
    // Beyond this many streams the cache starts again from empty: a forgotten stream costs one fallback.
    private const int MaxStreams = 65_536;

    private readonly Dictionary<StreamName, StreamHead> _streams = [];

    /// <summary>The head this writer left, or <see langword="null"/> when it knows nothing reliable.</summary>
    public long? Head { get; private set; }

    /// <summary>The version (<c>xmin</c>) of the head row this writer's last commit wrote.</summary>
    public string? HeadVersion { get; private set; }

    /// <summary>The row of a stream, or <see langword="null"/> when the stream is unknown, which the fast path takes to mean absent.</summary>
    public StreamHead? Find(StreamName stream) => _streams.TryGetValue(stream, out var row) ? row : null;

    /// <summary>Records the head row the writer's last commit left; the rows of its streams follow.</summary>
    public void RememberHead(long head, string version)
    {
        Head = head;
        HeadVersion = version;
        if (_streams.Count > MaxStreams)
        {
            _streams.Clear();
        }
    }

    /// <summary>Records a stream's row as the writer's last commit left it (<see langword="null"/>: absent).</summary>
    public void RememberStream(StreamName stream, StreamHead? row)
    {
        if (row is { } known)
        {
            _streams[stream] = known;
        }
        else
        {
            _streams.Remove(stream);
        }
    }

    /// <summary>Forgets everything: after any failure, the database may hold what this writer does not know.</summary>
    public void Clear()
    {
        Head = null;
        HeadVersion = null;
        _streams.Clear();
    }
}
