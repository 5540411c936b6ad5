using Annals.Storage;

namespace Annals.Projections;

/// <summary>An event a projection could not handle and set aside, to be replayed on request.</summary>
/// <param name="Projection">The projection.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="Stream">The event's stream.</param>
/// <param name="Revision">The event's revision in its stream.</param>
/// <param name="Position">The event's position in the log.</param>
/// <param name="Type">The event's type.</param>
/// <param name="ParkedAt">When it was parked.</param>
/// <param name="Failures">Failed replays so far (0 when never replayed).</param>
/// <param name="Error">The error that parked it, or of its last failed replay.</param>
/// <param name="ReplayRequested">Whether a replay is requested and waits for the projection's owner.</param>
public sealed record ParkedEvent(
    string Projection,
    Guid EventId,
    StreamName Stream,
    long Revision,
    long Position,
    string Type,
    DateTimeOffset ParkedAt,
    int Failures,
    string? Error,
    bool ReplayRequested);
