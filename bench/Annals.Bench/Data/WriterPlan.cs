using Annals.Storage;

namespace Annals.Bench.Data;

/// <summary>
/// What one writer commits, made before measuring: its streams, its warm-up commits and its
/// measured commits of up to <c>batch</c> events each. Store and raw writers follow the same plan.
/// </summary>
internal sealed class WriterPlan
{
    private WriterPlan(StreamName[] streams, EventData[][] warmUp, EventData[][] measured)
    {
        Streams = streams;
        WarmUp = warmUp;
        Measured = measured;
    }

    public StreamName[] Streams { get; }

    public EventData[][] WarmUp { get; }

    public EventData[][] Measured { get; }

    /// <summary>Plans every writer, sharing the events out as evenly as possible.</summary>
    public static WriterPlan[] ForAll(BenchSettings settings)
    {
        var plans = new WriterPlan[settings.Writers];
        for (var w = 0; w < plans.Length; w++)
        {
            var events = (settings.Events / settings.Writers) + (w < settings.Events % settings.Writers ? 1 : 0);
            plans[w] = Create(w, events, settings);
        }

        return plans;
    }

    private static WriterPlan Create(int writer, int events, BenchSettings settings)
    {
        var random = new Random(writer + 1);
        var streams = new StreamName[settings.StreamsPerWriter];
        for (var k = 0; k < streams.Length; k++)
        {
            streams[k] = StreamNames.Writer(writer, k);
        }

        var warmUp = new EventData[settings.Warmup][];
        for (var i = 0; i < warmUp.Length; i++)
        {
            warmUp[i] = Payloads.Many(random, settings.Batch);
        }

        var measured = new EventData[(events + settings.Batch - 1) / settings.Batch][];
        for (var i = 0; i < measured.Length; i++)
        {
            measured[i] = Payloads.Many(random, Math.Min(settings.Batch, events - (i * settings.Batch)));
        }

        return new WriterPlan(streams, warmUp, measured);
    }
}
