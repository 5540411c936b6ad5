namespace Annals.Diagnostics;

/// <summary>
/// The names under which Annals reports what it does: one activity source for traces and one meter per layer.
/// Subscribe to them with OpenTelemetry (<c>AddSource</c>, <c>AddMeter</c>), an <see cref="System.Diagnostics.ActivityListener"/>
/// or a <see cref="System.Diagnostics.Metrics.MeterListener"/>.
/// </summary>
public static class AnnalsTelemetry
{
    /// <summary>The activity source of every span Annals starts: commits, decisions, entity commands, projection batches and catch-ups.</summary>
    public const string ActivitySourceName = "Annals";

    /// <summary>The stores' meter: commits, events appended and read, commit durations, group sizes, conflicts.</summary>
    public const string StoreMeterName = "Annals.Storage";

    /// <summary>The entity engine's meter: commands, recoveries, snapshots, live entities.</summary>
    public const string EntityMeterName = "Annals.Entities";

    /// <summary>The projection host's meter: events handled, batch durations, lag, failures, parked events.</summary>
    public const string ProjectionMeterName = "Annals.Projections";

    /// <summary>The process host's meter: commands delivered, failed and parked, timeouts handed back or dropped, delivery delays.</summary>
    public const string ProcessMeterName = "Annals.Processes";

    /// <summary>Every meter Annals reports on.</summary>
    public static IReadOnlyList<string> MeterNames { get; } = [StoreMeterName, EntityMeterName, ProjectionMeterName, ProcessMeterName];
}
