using NATS.Client.JetStream;

namespace Annals.Nats;

/// <summary>
/// Read consumers kept open between pages: a read that took every message its last fetch delivered leaves its
/// consumer here, keyed by its filter subject and the sequence it goes on from, and the next page of the same read
/// takes it instead of creating a consumer (and deleting it) again. A few are kept; the server removes any left
/// behind once they have been idle for their inactive threshold.
/// </summary>
internal sealed class NatsReadCursors
{
    private const int Capacity = 16;

    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _entries = new();

    /// <summary>A consumer whose next message is the first at or after <paramref name="sequence"/> on the subject, if one is kept.</summary>
    public INatsJSConsumer? Take(string filterSubject, ulong sequence)
    {
        lock (_gate)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.FilterSubject == filterSubject && node.Value.NextSequence == sequence)
                {
                    _entries.Remove(node);
                    return node.Value.Consumer;
                }
            }
        }

        return null;
    }

    /// <summary>Keeps a consumer to go on from <paramref name="nextSequence"/>; returns the one it pushes out, to delete, if any.</summary>
    public INatsJSConsumer? Keep(string filterSubject, ulong nextSequence, INatsJSConsumer consumer)
    {
        lock (_gate)
        {
            _entries.AddFirst(new Entry(filterSubject, nextSequence, consumer));
            if (_entries.Count <= Capacity)
            {
                return null;
            }

            var oldest = _entries.Last!.Value.Consumer;
            _entries.RemoveLast();
            return oldest;
        }
    }

    /// <summary>Every kept consumer, now no longer kept: for the store's disposal.</summary>
    public IReadOnlyList<INatsJSConsumer> TakeAll()
    {
        lock (_gate)
        {
            var all = _entries.Select(e => e.Consumer).ToList();
            _entries.Clear();
            return all;
        }
    }

    private sealed record Entry(string FilterSubject, ulong NextSequence, INatsJSConsumer Consumer);
}
