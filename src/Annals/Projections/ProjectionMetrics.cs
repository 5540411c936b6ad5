using System.Diagnostics.Metrics;

namespace Annals.Projections;

/// <summary>The host's instruments, on the meter named <c>Annals.Projections</c>.</summary>
internal sealed class ProjectionMetrics : IDisposable
{
    public const string MeterName = Annals.Diagnostics.AnnalsTelemetry.ProjectionMeterName;

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _batchDuration;
    private readonly Histogram<double> _lag;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _parked;

    public ProjectionMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _events = _meter.CreateCounter<long>("annals.projection.events", "{event}", "Events handled and checkpointed.");
        _batchDuration = _meter.CreateHistogram<double>("annals.projection.batch.duration", "ms", "Time to handle a batch and commit its checkpoint.");
        _lag = _meter.CreateHistogram<double>("annals.projection.lag", "ms", "Time from a batch's last event's commit to its checkpoint's commit.");
        _failures = _meter.CreateCounter<long>("annals.projection.failures", "{attempt}", "Failed attempts to handle a batch.");
        _parked = _meter.CreateCounter<long>("annals.projection.parked", "{event}", "Events parked.");
    }

    public void Handled(string projection, int events, double milliseconds, double lagMilliseconds)
    {
        var tag = new KeyValuePair<string, object?>("projection", projection);
        _events.Add(events, tag);
        _batchDuration.Record(milliseconds, tag);
        _lag.Record(lagMilliseconds, tag);
    }

    public void Failed(string projection) => _failures.Add(1, new KeyValuePair<string, object?>("projection", projection));

    public void Parked(string projection) => _parked.Add(1, new KeyValuePair<string, object?>("projection", projection));

    public void Dispose() => _meter.Dispose();
}
