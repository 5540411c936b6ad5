using System.Diagnostics.Metrics;

namespace Annals.Bench.Projections;

/// <summary>
/// Tells when a projection's batch has been committed with its checkpoint: the host adds the batch's events to its
/// <c>annals.projection.events</c> counter right after that commit, on the projection's own loop, before it takes the
/// next batch. The handler cannot see its own commit, so this is how the run learns when the read model showed an event.
/// </summary>
internal sealed class CheckpointCommits : IDisposable
{
    private const string MeterName = "Annals.Projections";
    private const string EventsCounter = "annals.projection.events";

    private readonly MeterListener _listener = new();

    public CheckpointCommits(string projection, Action committed)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == EventsCounter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "projection" && Equals(tag.Value, projection))
                {
                    committed();
                }
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
