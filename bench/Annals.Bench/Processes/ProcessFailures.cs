using System.Diagnostics.Metrics;

namespace Annals.Bench.Processes;

/// <summary>
/// Hears of a process's failures through its meters: failed batches of its event side (<c>annals.projection.failures</c>
/// of projection <c>process:&lt;name&gt;</c>) and failed or parked deliveries (<c>annals.process.deliveries</c>). None
/// is expected; until one happens, a run waits without reading the process's status, which counts both queues.
/// </summary>
internal sealed class ProcessFailures : IDisposable
{
    private readonly MeterListener _listener = new();
    private int _seen;

    public ProcessFailures(string process)
    {
        var projection = ProcessCatchUpWorkload.ProcessNamesOf(process);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((instrument.Meter.Name == "Annals.Projections" && instrument.Name == "annals.projection.failures")
                || (instrument.Meter.Name == "Annals.Processes" && instrument.Name == "annals.process.deliveries"))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var mine = false;
            var failed = instrument.Name == "annals.projection.failures";
            foreach (var tag in tags)
            {
                mine |= (tag.Key == "projection" && Equals(tag.Value, projection)) || (tag.Key == "process" && Equals(tag.Value, process));
                failed |= tag.Key == "outcome" && !Equals(tag.Value, "delivered");
            }

            if (mine && failed)
            {
                Interlocked.Exchange(ref _seen, 1);
            }
        });
        _listener.Start();
    }

    /// <summary>Whether any failure was heard of.</summary>
    public bool Any => Volatile.Read(ref _seen) == 1;

    public void Dispose() => _listener.Dispose();
}
