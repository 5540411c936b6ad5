namespace Annals.Storage.Providers;

/// <summary>
/// The idempotency rule of appends, shared by every backend: an append whose every event id is
/// already stored in its stream, at consecutive revisions in the same order, is a re-commit that
/// stores nothing and returns the original result; any other reuse of a stored id is an error.
/// </summary>
public static class AppendReplay
{
    /// <summary>Where an event id is stored.</summary>
    /// <param name="Stream">Its stream.</param>
    /// <param name="Revision">Its revision.</param>
    /// <param name="Position">Its position.</param>
    public readonly record struct StoredEvent(StreamName Stream, long Revision, long Position);

    /// <summary>Applies the rule to one append.</summary>
    /// <param name="append">The append.</param>
    /// <param name="lookup">Finds where an id is stored, or <see langword="null"/> when it is not.</param>
    /// <returns>The original result for a re-commit; <see langword="null"/> when no id of the append is stored.</returns>
    /// <exception cref="DuplicateEventIdException">Some ids are stored, or stored elsewhere or in another order.</exception>
    public static AppendResult? Find(AppendOperation append, Func<Guid, StoredEvent?> lookup)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentNullException.ThrowIfNull(lookup);
        StoredEvent? first = null;
        StoredEvent last = default;
        for (var i = 0; i < append.Events.Count; i++)
        {
            var id = append.Events[i].EventId;
            if (lookup(id) is not { } stored)
            {
                if (first is { } f)
                {
                    throw new DuplicateEventIdException(append.Events[0].EventId, append.Stream, f.Stream, f.Revision);
                }

                continue;
            }

            if (i == 0)
            {
                first = stored;
            }

            if (first is not { } start || stored.Stream != append.Stream || stored.Revision != start.Revision + i)
            {
                throw new DuplicateEventIdException(id, append.Stream, stored.Stream, stored.Revision);
            }

            last = stored;
        }

        return first is { } s ? new AppendResult(append.Stream, s.Revision, last.Revision, s.Position, last.Position) : null;
    }
}
