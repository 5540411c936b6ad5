using System.Diagnostics;
using Annals.Bench.Data;
using Annals.Storage;

namespace Annals.Bench.Projections;

/// <summary>
/// One appender of a live run: appends single-event commits to its own streams, in rotation, each at its due time on a
/// shared schedule. Appender <c>w</c> of <c>W</c> sends the events numbered <c>w, w + W, w + 2W, …</c>; event <c>j</c>
/// is due <c>j / rate</c> seconds after the start. An appender that falls behind sends at once, without waiting, until it
/// is back on time, so the rate over the run is the one asked for whenever the store keeps up.
/// </summary>
internal sealed class PacedAppender
{
    private const int StreamsEach = 4;

    // Task.Delay cannot wait less than about a millisecond: an event due sooner than that is sent at once.
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(1);

    private readonly StreamName[] _streams;
    private readonly ExpectedRevision[] _expected;
    private readonly EventData[] _warmUp;
    private readonly EventData[] _measured;
    private readonly int[] _numbers;

    private PacedAppender(int writer, EventData[] warmUp, EventData[] measured, int[] numbers)
    {
        Lateness = new List<double>(measured.Length);
        _streams = [.. Enumerable.Range(0, StreamsEach).Select(k => StreamNames.Writer(writer, k))];
        _expected = [.. _streams.Select(_ => ExpectedRevision.NoStream)];
        _warmUp = warmUp;
        _measured = measured;
        _numbers = numbers;
    }

    /// <summary>How long after its due time each measured event went out, in milliseconds.</summary>
    public List<double> Lateness { get; }

    /// <summary>Plans every appender, with the events made before measuring.</summary>
    /// <returns>The appenders, and every measured event by number.</returns>
    public static (PacedAppender[] Appenders, EventData[] Events) ForAll(int writers, int events, int warmUp)
    {
        var all = new EventData[events];
        var appenders = new PacedAppender[writers];
        for (var w = 0; w < writers; w++)
        {
            var random = new Random(w + 1);
            var numbers = Enumerable.Range(0, events).Where(j => j % writers == w).ToArray();
            var measured = Payloads.Many(random, numbers.Length);
            for (var i = 0; i < numbers.Length; i++)
            {
                all[numbers[i]] = measured[i];
            }

            appenders[w] = new PacedAppender(w, Payloads.Many(random, warmUp), measured, numbers);
        }

        return (appenders, all);
    }

    /// <summary>Appends the warm-up events as fast as the store takes them.</summary>
    public async Task WarmUpAsync(IEventStore store, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _warmUp.Length; i++)
        {
            await AppendAsync(store, i, _warmUp[i], cancellationToken);
        }
    }

    /// <summary>Appends the measured events on schedule from the start time <paramref name="start"/> gives.</summary>
    public async Task RunAsync(IEventStore store, Task<long> start, double rate, DeliveryTimes deliveries, CancellationToken cancellationToken)
    {
        var started = await start;
        var ticksPerEvent = Stopwatch.Frequency / rate;
        for (var i = 0; i < _measured.Length; i++)
        {
            var due = started + (long)(_numbers[i] * ticksPerEvent);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait >= Resolution)
            {
                await Task.Delay(wait, cancellationToken);
            }

            Lateness.Add(Math.Max(0, Stopwatch.GetElapsedTime(due).TotalMilliseconds));
            await AppendAsync(store, _warmUp.Length + i, _measured[i], cancellationToken);
            deliveries.Acked(_numbers[i]);
        }
    }

    private async Task AppendAsync(IEventStore store, int sequence, EventData data, CancellationToken cancellationToken)
    {
        var k = sequence % _streams.Length;
        var result = await store.AppendAsync(_streams[k], _expected[k], data, cancellationToken);
        _expected[k] = result.NextExpected;
    }
}
