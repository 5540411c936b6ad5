using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Annals.Entities;

/// <summary>The engine's instruments, on the meter named <c>Annals.Entities</c>.</summary>
internal sealed class EngineMetrics : IDisposable
{
    public const string MeterName = Annals.Diagnostics.AnnalsTelemetry.EntityMeterName;

    private readonly Meter _meter;
    private readonly Counter<long> _commands;
    private readonly Histogram<double> _commandDuration;
    private readonly UpDownCounter<long> _live;
    private readonly Counter<long> _recoveries;
    private readonly Histogram<double> _recoveryDuration;
    private readonly Counter<long> _snapshots;

    public EngineMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _commands = _meter.CreateCounter<long>("annals.entity.commands", "{command}", "Commands that reached an outcome, by outcome: handled, rejected, timed_out, conflict, failed.");
        _commandDuration = _meter.CreateHistogram<double>("annals.entity.command.duration", "ms", "Time from sending a command to its reply.");
        _live = _meter.CreateUpDownCounter<long>("annals.entity.live", "{entity}", "Entities in memory.");
        _recoveries = _meter.CreateCounter<long>("annals.entity.recoveries", "{recovery}", "Entities recovered from the store.");
        _recoveryDuration = _meter.CreateHistogram<double>("annals.entity.recovery.duration", "ms", "Time to recover an entity.");
        _snapshots = _meter.CreateCounter<long>("annals.entity.snapshots", "{snapshot}", "Snapshots written.");
    }

    public void Command(string category, string outcome, double milliseconds)
    {
        var tags = new TagList { { "category", category }, { "outcome", outcome } };
        _commands.Add(1, tags);
        _commandDuration.Record(milliseconds, tags);
    }

    public void Live(string category, int delta) => _live.Add(delta, new KeyValuePair<string, object?>("category", category));

    public void Recovered(string category, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("category", category);
        _recoveries.Add(1, tag);
        _recoveryDuration.Record(milliseconds, tag);
    }

    public void SnapshotWritten(string category) => _snapshots.Add(1, new KeyValuePair<string, object?>("category", category));

    public void Dispose() => _meter.Dispose();
}
