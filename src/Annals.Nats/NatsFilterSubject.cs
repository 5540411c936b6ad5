using Annals.Storage;

namespace Annals.Nats;

/// <summary>
/// The one JetStream filter subject that holds every event a filter may match: a server before 2.10 takes one filter
/// subject per consumer. The store still checks each event against the whole filter: event types and tags are not in
/// subjects, and a filter of several parts reads the whole store.
/// </summary>
internal static class NatsFilterSubject
{
    public static string For(NatsStoreLayout layout, EventFilter filter)
    {
        if (filter.MatchesAll || filter.TagItems.Count > 0 || filter.Types.Count > 0)
        {
            return layout.AllSubjects;
        }

        var parts = filter.Streams.Count + filter.Categories.Count + filter.Patterns.Count;
        if (parts != 1)
        {
            return layout.AllSubjects;
        }

        if (filter.Streams.Count == 1)
        {
            return $"{layout.Store}.{filter.Streams.First()}";
        }

        if (filter.Categories.Count == 1)
        {
            return layout.CategorySubjects(filter.Categories.First());
        }

        var pattern = filter.Patterns[0];
        return $"{layout.Store}.{pattern.Category ?? "*"}.{pattern.Id ?? "*"}";
    }
}
