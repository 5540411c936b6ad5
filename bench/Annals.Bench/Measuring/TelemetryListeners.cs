using System.Diagnostics;
using System.Diagnostics.Metrics;
using Annals.Diagnostics;

namespace Annals.Bench.Measuring;

/// <summary>
/// Listens to every Annals span and measurement as an exporter would: every span sampled and recorded, each stopped one
/// handed to a bounded buffer (as OpenTelemetry's batch exporter queues them), every instrument enabled and its
/// measurements aggregated.
/// </summary>
internal sealed class TelemetryListeners : IDisposable
{
    private const int BufferSize = 2048;

    private readonly ActivityListener _spans;
    private readonly MeterListener _meters;
    private readonly Activity?[] _buffer = new Activity?[BufferSize];
    private long _stopped;
    private long _measurements;
    private long _sum;

    public TelemetryListeners()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AnnalsTelemetry.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _buffer[Interlocked.Increment(ref _stopped) % BufferSize] = activity,
        };
        ActivitySource.AddActivityListener(_spans);

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (AnnalsTelemetry.MeterNames.Contains(instrument.Meter.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        _meters.SetMeasurementEventCallback<double>((_, value, tags, _) => Record(value, tags));
        _meters.Start();
    }

    /// <summary>What was seen, for the run's log.</summary>
    public string Summary => $"{Interlocked.Read(ref _stopped)} spans, {Interlocked.Read(ref _measurements)} measurements";

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }

    private void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // An exporter keys its aggregate by the tags; reading them stands for that.
        var width = 0;
        foreach (var tag in tags)
        {
            width += tag.Key.Length;
        }

        // Lock-free, as OpenTelemetry's sums are.
        Interlocked.Increment(ref _measurements);
        Interlocked.Add(ref _sum, (long)value + width);
    }
}
