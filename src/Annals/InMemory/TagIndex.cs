using Annals.Storage;

namespace Annals.InMemory;

/// <summary>
/// The positions of the stored events carrying each tag, in ascending order, so a tag query reads the positions of
/// one tag per item instead of the whole log. Appends add at the end (positions increase); truncation and deletion
/// remove by binary search.
/// </summary>
internal sealed class TagIndex
{
    private readonly Dictionary<string, List<long>> _positions = new(StringComparer.Ordinal);

    /// <summary>Whether the filter is made of tag items alone, so that <see cref="Candidates"/> finds all it matches.</summary>
    public static bool Serves(EventFilter filter) => Storage.Providers.FilterSql.OnlyTagItems(filter);

    public void Add(RecordedEvent e)
    {
        foreach (var tag in e.Tags)
        {
            if (!_positions.TryGetValue(tag, out var list))
            {
                list = [];
                _positions.Add(tag, list);
            }

            list.Add(e.Position);
        }
    }

    public void Remove(RecordedEvent e)
    {
        foreach (var tag in e.Tags)
        {
            var list = _positions[tag];
            list.RemoveAt(list.BinarySearch(e.Position));
            if (list.Count == 0)
            {
                _positions.Remove(tag);
            }
        }
    }

    /// <summary>
    /// The positions after <paramref name="after"/> that carry the first tag of one of the filter's items, ascending
    /// and without repeats, up to <paramref name="limit"/> per item: the events to check with the whole filter.
    /// </summary>
    public SortedSet<long> Candidates(EventFilter filter, long after, Func<long, bool> matches, int limit)
    {
        var found = new SortedSet<long>();
        foreach (var item in filter.TagItems)
        {
            if (!_positions.TryGetValue(item.Tags[0], out var list))
            {
                continue;
            }

            var taken = 0;
            for (var i = FirstAfter(list, after); i < list.Count && taken < limit; i++)
            {
                if (matches(list[i]))
                {
                    found.Add(list[i]);
                    taken++;
                }
            }
        }

        return found;
    }

    /// <summary>The highest position after <paramref name="after"/> of an event the filter matches, or <see langword="null"/>.</summary>
    public long? Latest(EventFilter filter, long after, Func<long, bool> matches)
    {
        long? latest = null;
        foreach (var item in filter.TagItems)
        {
            if (!_positions.TryGetValue(item.Tags[0], out var list))
            {
                continue;
            }

            for (var i = list.Count - 1; i >= 0 && list[i] > Math.Max(after, latest ?? 0); i--)
            {
                if (matches(list[i]))
                {
                    latest = list[i];
                    break;
                }
            }
        }

        return latest;
    }

    private static int FirstAfter(List<long> list, long after)
    {
        var i = list.BinarySearch(after + 1);
        return i >= 0 ? i : ~i;
    }
}
