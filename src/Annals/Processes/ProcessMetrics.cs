using System.Diagnostics;
using System.Diagnostics.Metrics;
using Annals.Diagnostics;

namespace Annals.Processes;

/// <summary>The process host's instruments, on the meter named <see cref="AnnalsTelemetry.ProcessMeterName"/>.</summary>
internal sealed class ProcessMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _delay;
    private readonly Counter<long> _timeouts;

    public ProcessMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(AnnalsTelemetry.ProcessMeterName) ?? new Meter(AnnalsTelemetry.ProcessMeterName);
        _deliveries = _meter.CreateCounter<long>("annals.process.deliveries", "{command}", "Commands delivery attempts by outcome: delivered, failed, parked.");
        _delay = _meter.CreateHistogram<double>("annals.process.delivery.delay", "ms", "Time from a command's due time (when its step was stored) to its delivery.");
        _timeouts = _meter.CreateCounter<long>("annals.process.timeouts", "{timeout}", "Timeouts by outcome: handled, dropped (its instance ended or stopped waiting), failed, parked.");
    }

    public void Delivered(string process, double delayMilliseconds)
    {
        var tags = new TagList { { "process", process }, { "outcome", "delivered" } };
        _deliveries.Add(1, tags);
        _delay.Record(delayMilliseconds, new KeyValuePair<string, object?>("process", process));
    }

    public void DeliveryFailed(string process, bool parked) =>
        _deliveries.Add(1, new TagList { { "process", process }, { "outcome", parked ? "parked" : "failed" } });

    public void Timeout(string process, string outcome) =>
        _timeouts.Add(1, new TagList { { "process", process }, { "outcome", outcome } });

    public void Dispose() => _meter.Dispose();
}
