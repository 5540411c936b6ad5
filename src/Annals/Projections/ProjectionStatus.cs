namespace Annals.Projections;

/// <summary>A projection's status at one moment.</summary>
/// <param name="Name">The projection's name.</param>
/// <param name="State">Where it is.</param>
/// <param name="Position">Its checkpoint: every event at or below it is handled.</param>
/// <param name="LagEvents">
/// Events in the log after its checkpoint (of any type: the filter is not applied); on a store whose positions have gaps
/// (<see cref="Storage.StoreCapabilities.DensePositions"/>), counted up to <see cref="LagCountLimit"/>.
/// </param>
/// <param name="LagSeconds">How long ago the first event of its filter after the checkpoint was committed; 0 when there is none.</param>
/// <param name="HandledEvents">Events handled by this process since the projection was added.</param>
/// <param name="ParkedEvents">Events parked by this process since the projection was added.</param>
/// <param name="LastError">The last error of a batch, a lease or the store, if any; cleared by the next success.</param>
public sealed record ProjectionStatus(
    string Name,
    ProjectionState State,
    long Position,
    long LagEvents,
    double LagSeconds,
    long HandledEvents,
    long ParkedEvents,
    Exception? LastError)
{
    /// <summary>How many events a status counts at most on a store whose positions have gaps.</summary>
    public const int LagCountLimit = 10_000;
}
