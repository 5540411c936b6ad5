using System.Diagnostics;
using Annals.Storage;

namespace Annals.Bench.Projections;

/// <summary>
/// When each measured event of a live run was acknowledged to its appender, handed to the projection (or to a process's
/// step), checkpointed, and (for a process) when its step's command was delivered, all on the <see cref="Stopwatch"/>
/// clock; plus the delay from the event's store timestamp to its hand-over. Events
/// are numbered 0..N-1 in the order of the appenders' schedule. Each slot is written by one thread and read after the
/// run.
/// </summary>
internal sealed class DeliveryTimes
{
    private readonly Dictionary<Guid, int> _numbers;
    private readonly long[] _acked;
    private readonly long[] _handled;
    private readonly long[] _committed;
    private readonly long[] _delivered;
    private readonly double[] _sinceTimestamp;
    private readonly List<int> _pending = [];

    /// <summary>Makes the slots of the measured events.</summary>
    /// <param name="eventIds">The measured events' ids, by number.</param>
    public DeliveryTimes(Guid[] eventIds)
    {
        _numbers = new Dictionary<Guid, int>(eventIds.Length);
        for (var i = 0; i < eventIds.Length; i++)
        {
            _numbers.Add(eventIds[i], i);
        }

        _acked = new long[eventIds.Length];
        _handled = new long[eventIds.Length];
        _committed = new long[eventIds.Length];
        _delivered = new long[eventIds.Length];
        _sinceTimestamp = new double[eventIds.Length];
    }

    /// <summary>The append of event <paramref name="number"/> has just returned to its appender.</summary>
    public void Acked(int number) => _acked[number] = Stopwatch.GetTimestamp();

    /// <summary>The projection's handler has just been handed these events (warm-up events are not counted).</summary>
    public void Handled(IReadOnlyList<RecordedEvent> events)
    {
        var now = Stopwatch.GetTimestamp();
        var utcNow = TimeProvider.System.GetUtcNow();
        _pending.Clear();
        foreach (var e in events)
        {
            Hand(e, now, utcNow);
        }
    }

    /// <summary>A process's step has just been handed this event; its batch commits after the batch's last step.</summary>
    public void Stepped(RecordedEvent e) => Hand(e, Stopwatch.GetTimestamp(), TimeProvider.System.GetUtcNow());

    /// <summary>The command that the step of event <paramref name="eventId"/> sent has just reached its handler (warm-up events are not counted).</summary>
    public void Delivered(Guid eventId)
    {
        var now = Stopwatch.GetTimestamp();
        if (_numbers.TryGetValue(eventId, out var number) && _delivered[number] == 0)
        {
            _delivered[number] = now;
        }
    }

    /// <summary>The batch last handed over has just been committed with its checkpoint.</summary>
    public void Committed()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var number in _pending)
        {
            if (_committed[number] == 0)
            {
                _committed[number] = now;
            }
        }

        _pending.Clear();
    }

    /// <summary>Events never handed over, or whose commit was never seen; none is expected once the host has stopped past the head.</summary>
    public int Missing => Enumerable.Range(0, _handled.Length).Count(i => _handled[i] == 0 || _committed[i] == 0);

    /// <summary>Events whose command was never seen delivered (process runs).</summary>
    public int Undelivered => _delivered.Count(t => t == 0);

    /// <summary>Events handed to the projection before their append had returned to the appender (counted as 0 ms).</summary>
    public int HandledBeforeAck => Enumerable.Range(0, _acked.Length).Count(i => _handled[i] < _acked[i]);

    /// <summary>Acknowledged → handed to the handler, sorted, in milliseconds (negative ones as 0).</summary>
    public double[] AckToHandled() => Sorted(_handled);

    /// <summary>Acknowledged → committed with the checkpoint (visible in the read model), sorted, in milliseconds.</summary>
    public double[] AckToCommitted() => Sorted(_committed);

    /// <summary>Acknowledged → the command of the event's step delivered to its handler, sorted, in milliseconds (negative ones as 0).</summary>
    public double[] AckToDelivered() => Sorted(_delivered);

    /// <summary>Events whose command was delivered before their append had returned to the appender (counted as 0 ms).</summary>
    public int DeliveredBeforeAck => Enumerable.Range(0, _acked.Length).Count(i => _delivered[i] < _acked[i]);

    /// <summary>The event's store timestamp (the writer's clock as it began the commit's group) → handed to the handler, sorted, in milliseconds.</summary>
    public double[] TimestampToHandled()
    {
        var sorted = (double[])_sinceTimestamp.Clone();
        Array.Sort(sorted);
        return sorted;
    }

    private void Hand(RecordedEvent e, long now, DateTimeOffset utcNow)
    {
        if (!_numbers.TryGetValue(e.EventId, out var number))
        {
            return;
        }

        _pending.Add(number);

        // A batch that failed and is handed over again keeps its first time.
        if (_handled[number] == 0)
        {
            _handled[number] = now;
            _sinceTimestamp[number] = (utcNow - e.Timestamp).TotalMilliseconds;
        }
    }

    private double[] Sorted(long[] reached)
    {
        var milliseconds = new double[_acked.Length];
        for (var i = 0; i < milliseconds.Length; i++)
        {
            milliseconds[i] = Math.Max(0, Stopwatch.GetElapsedTime(_acked[i], reached[i]).TotalMilliseconds);
        }

        Array.Sort(milliseconds);
        return milliseconds;
    }
}
