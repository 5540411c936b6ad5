using System.Collections.Concurrent;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Nats;

/// <summary>
/// The heads of streams this process read or wrote last, with the sequence of each stream's last message: what a commit
/// expects as the last subject sequence without asking the server first. A head another process moved on makes the
/// publish fail on that expectation, and the commit reads the head afresh; so the cache only ever saves a round trip.
/// </summary>
internal sealed class NatsHeadCache
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<StreamName, NatsStreamHead> _heads = new();

    public bool TryGet(StreamName stream, out NatsStreamHead head) => _heads.TryGetValue(stream, out head);

    public void Set(StreamName stream, NatsStreamHead head)
    {
        if (_heads.Count >= MaxEntries)
        {
            _heads.Clear();
        }

        _heads.AddOrUpdate(stream, head, (_, old) => head.Sequence >= old.Sequence ? head : old);
    }

    public void Forget(StreamName stream) => _heads.TryRemove(stream, out _);
}

/// <summary>A stream's head and the sequence of its last message; <see cref="Head"/> is <see langword="null"/> for a stream with no message.</summary>
internal readonly record struct NatsStreamHead(ulong Sequence, StreamHead? Head);
