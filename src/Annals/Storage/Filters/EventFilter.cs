namespace Annals.Storage;

/// <summary>
/// Which events a read, subscription or append condition is about: any of a set of subject
/// patterns (<c>category.id.type</c>, with <c>*</c> and <c>&gt;</c>), streams, categories, event types or
/// tag query items (events carrying all of a set of tags, of one of a set of types if any is named).
/// </summary>
/// <remarks>
/// A filter is parsed once. Exact categories, streams and types are kept in hash sets, so
/// matching costs a few look-ups whatever the number of streams named; only patterns with
/// wildcards in the middle are tried one by one. The parts are public so that a backend can
/// translate them into its own query.
/// </remarks>
public sealed class EventFilter
{
    private readonly HashSet<string> _categories;
    private readonly HashSet<string> _streams;
    private readonly HashSet<string> _types;
    private readonly SubjectPattern[] _patterns;
    private readonly TagQueryItem[] _tagItems;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _categoryLookup;
    private readonly string _text;

    private EventFilter(bool matchesAll, HashSet<string> categories, HashSet<string> streams, HashSet<string> types, SubjectPattern[] patterns, TagQueryItem[] tagItems, string text)
    {
        _tagItems = tagItems;
        MatchesAll = matchesAll;
        _categories = categories;
        _streams = streams;
        _types = types;
        _patterns = patterns;
        _categoryLookup = categories.GetAlternateLookup<ReadOnlySpan<char>>();
        _text = text;
    }

    /// <summary>The filter that matches every event.</summary>
    public static EventFilter All { get; } = new(true, [], [], [], [], [], ">");

    /// <summary>Whether this filter matches every event.</summary>
    public bool MatchesAll { get; }

    /// <summary>Categories whose events all match.</summary>
    public IReadOnlySet<string> Categories => _categories;

    /// <summary>Streams (<c>category.id</c>) whose events all match.</summary>
    public IReadOnlySet<string> Streams => _streams;

    /// <summary>Event types that match in every stream.</summary>
    public IReadOnlySet<string> Types => _types;

    /// <summary>The remaining patterns, which combine tokens with wildcards (e.g. <c>account.*.Deposited</c>).</summary>
    public IReadOnlyList<SubjectPattern> Patterns => _patterns;

    /// <summary>The tag query items: an event matches one when it carries all its tags and has one of its types, if it names any.</summary>
    public IReadOnlyList<TagQueryItem> TagItems => _tagItems;

    /// <summary>Makes a filter matching the events that carry every one of the given tags, whatever their type.</summary>
    /// <param name="tags">The tags, such as <c>course:c1</c>; at least one. A tag given twice counts once.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidFilterException">A tag is malformed, or none is given.</exception>
    /// <example><c>EventFilter.Tagged("course:c1").Or(EventFilter.Tagged("student:s7"))</c> matches the events about either.</example>
    public static EventFilter Tagged(params IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return Build([], [TagQueryItem.Make([], tags)]);
    }

    /// <summary>
    /// Makes a filter of one query item: the events that carry every one of <paramref name="tags"/> and have one of
    /// <paramref name="types"/>. No types means any type; no tags means any tags, so the item is a type filter, and
    /// with neither it matches every event.
    /// </summary>
    /// <param name="types">The event types, one of which a matching event has; empty for any.</param>
    /// <param name="tags">The tags a matching event carries, all of them; empty for any.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidFilterException">A type or tag is malformed.</exception>
    public static EventFilter Query(IEnumerable<string> types, IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(tags);
        var typeList = types.ToList();
        var tagList = tags.ToList();
        if (tagList.Count > 0)
        {
            return Build([], [TagQueryItem.Make(typeList, tagList)]);
        }

        return typeList.Count == 0 ? All : ForTypes(typeList);
    }

    /// <summary>Makes a filter matching any of the given subject patterns.</summary>
    /// <param name="patterns">Patterns such as <c>account</c>, <c>account.42</c>, <c>*.*.Deposited</c>, <c>account.&gt;</c>.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidFilterException">A pattern is malformed, or none is given.</exception>
    public static EventFilter Subjects(params IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var parsed = new List<SubjectPattern>();
        foreach (var pattern in patterns)
        {
            parsed.Add(SubjectPattern.Parse(pattern));
        }

        return parsed.Count == 0 ? throw new InvalidFilterException(string.Empty, "a filter needs at least one pattern") : Build(parsed);
    }

    /// <summary>
    /// Parses a comma-separated list of subject patterns, as typed on a command line:
    /// <c>account.&gt;,*.*.Deposited</c>.
    /// </summary>
    /// <param name="text">The patterns.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidFilterException">A pattern is malformed.</exception>
    public static EventFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Subjects(text.Split(',', StringSplitOptions.TrimEntries));
    }

    /// <summary>Makes a filter matching the events of the given streams.</summary>
    /// <param name="streams">The streams.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidFilterException">No stream is given.</exception>
    public static EventFilter ForStreams(params IEnumerable<StreamName> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var parsed = streams.Select(s => new SubjectPattern(s.Category, s.Id, null)).ToList();
        return parsed.Count == 0 ? throw new InvalidFilterException(string.Empty, "a filter needs at least one stream") : Build(parsed);
    }

    /// <summary>Makes a filter matching the events of the given categories.</summary>
    /// <param name="categories">The categories.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidFilterException">A category is malformed, or none is given.</exception>
    public static EventFilter ForCategories(params IEnumerable<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var parsed = new List<SubjectPattern>();
        foreach (var category in categories)
        {
            var error = NameRules.CheckCategory(category);
            if (error is not null)
            {
                throw new InvalidFilterException(category, error);
            }

            parsed.Add(new SubjectPattern(category, null, null));
        }

        return parsed.Count == 0 ? throw new InvalidFilterException(string.Empty, "a filter needs at least one category") : Build(parsed);
    }

    /// <summary>Makes a filter matching events of the given types, in every stream.</summary>
    /// <param name="types">The event type names.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidFilterException">A type is malformed, or none is given.</exception>
    public static EventFilter ForTypes(params IEnumerable<string> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var parsed = new List<SubjectPattern>();
        foreach (var type in types)
        {
            var error = NameRules.CheckEventType(type);
            if (error is not null)
            {
                throw new InvalidFilterException(type, error);
            }

            parsed.Add(new SubjectPattern(null, null, type));
        }

        return parsed.Count == 0 ? throw new InvalidFilterException(string.Empty, "a filter needs at least one type") : Build(parsed);
    }

    /// <summary>Makes a filter matching what either this filter or <paramref name="other"/> matches.</summary>
    /// <param name="other">The other filter.</param>
    /// <returns>The union.</returns>
    public EventFilter Or(EventFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (MatchesAll || other.MatchesAll)
        {
            return All;
        }

        return Build(ToPatterns().Concat(other.ToPatterns()), _tagItems.Concat(other._tagItems));
    }

    /// <summary>Whether an event of the given stream and type, carrying no tags, matches.</summary>
    /// <param name="stream">The event's stream.</param>
    /// <param name="type">The event's type.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    public bool Matches(StreamName stream, string type) => Matches(stream, type, []);

    /// <summary>Whether an event of the given stream and type, carrying the given tags, matches.</summary>
    /// <param name="stream">The event's stream.</param>
    /// <param name="type">The event's type.</param>
    /// <param name="tags">The event's tags.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    public bool Matches(StreamName stream, string type, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (MatchesAll)
        {
            return true;
        }

        if ((_streams.Count > 0 && _streams.Contains(stream.Value))
            || (_types.Count > 0 && _types.Contains(type))
            || (_categories.Count > 0 && _categoryLookup.Contains(stream.CategorySpan)))
        {
            return true;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(stream, type))
            {
                return true;
            }
        }

        if (tags.Count > 0)
        {
            foreach (var item in _tagItems)
            {
                if (item.Matches(type, tags))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a recorded event matches.</summary>
    /// <param name="recorded">The event.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    public bool Matches(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return Matches(recorded.Stream, recorded.Type, recorded.Tags);
    }

    /// <summary>
    /// The filter as a comma-separated list of patterns, which <see cref="Parse"/> reads back, followed by its tag
    /// query items as <c>tagged(…)</c>, which are for reading only: a tag may hold a comma.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => _text;

    private IEnumerable<SubjectPattern> ToPatterns() =>
        _categories.Select(c => new SubjectPattern(c, null, null))
            .Concat(_streams.Select(s => StreamName.Parse(s)).Select(s => new SubjectPattern(s.Category, s.Id, null)))
            .Concat(_types.Select(t => new SubjectPattern(null, null, t)))
            .Concat(_patterns);

    private static EventFilter Build(IEnumerable<SubjectPattern> patterns) => Build(patterns, []);

    private static EventFilter Build(IEnumerable<SubjectPattern> patterns, IEnumerable<TagQueryItem> tagItems)
    {
        HashSet<string> categories = new(StringComparer.Ordinal);
        HashSet<string> streams = new(StringComparer.Ordinal);
        HashSet<string> types = new(StringComparer.Ordinal);
        var others = new List<SubjectPattern>();
        foreach (var p in patterns)
        {
            switch (p)
            {
                case { Category: null, Id: null, Type: null }:
                    return All;
                case { Category: { } c, Id: null, Type: null }:
                    categories.Add(c);
                    break;
                case { Category: { } c, Id: { } id, Type: null }:
                    streams.Add(c + "." + id);
                    break;
                case { Category: null, Id: null, Type: { } t }:
                    types.Add(t);
                    break;
                default:
                    if (!others.Contains(p))
                    {
                        others.Add(p);
                    }

                    break;
            }
        }

        // An item that another one covers (fewer tags, fewer or no types) adds nothing: the SQL stays as short as the query allows.
        var items = new List<TagQueryItem>();
        foreach (var item in tagItems)
        {
            if (!items.Any(i => i.Covers(item)))
            {
                items.RemoveAll(item.Covers);
                items.Add(item);
            }
        }

        var text = string.Join(',', categories.Concat(streams).Concat(types.Select(t => "*.*." + t)).Concat(others.Select(o => o.ToString())).Concat(items.Select(i => i.ToString())));
        return new EventFilter(false, categories, streams, types, [.. others], [.. items], text);
    }
}
