namespace Annals.Storage;

/// <summary>
/// One item of a tag query: the events that carry every one of <see cref="Tags"/> and, when <see cref="Types"/> is not
/// empty, have one of those types. Made by <see cref="EventFilter.Tagged"/> and <see cref="EventFilter.Query"/>.
/// </summary>
/// <remarks>Public so that a backend can translate it into its own query.</remarks>
public sealed class TagQueryItem
{
    private readonly string[] _tags;
    private readonly HashSet<string> _types;

    internal TagQueryItem(string[] tags, HashSet<string> types)
    {
        _tags = tags;
        _types = types;
    }

    /// <summary>The tags a matching event carries, all of them: at least one, each once, in ordinal order.</summary>
    public IReadOnlyList<string> Tags => _tags;

    /// <summary>The types one of which a matching event has; empty for any type.</summary>
    public IReadOnlySet<string> Types => _types;

    /// <summary>Whether an event of the given type with the given tags matches.</summary>
    /// <param name="type">The event's type.</param>
    /// <param name="tags">The event's tags.</param>
    /// <returns><see langword="true"/> when it carries every tag and, if types are named, has one of them.</returns>
    public bool Matches(string type, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count < _tags.Length || (_types.Count > 0 && !_types.Contains(type)))
        {
            return false;
        }

        foreach (var tag in _tags)
        {
            if (!Carries(tags, tag))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The item as text: <c>tagged(course:c1 student:s7)</c>, with <c>of Enrolled|Left</c> inside when it names types.</summary>
    /// <returns>The text, for messages and logs.</returns>
    public override string ToString() =>
        _types.Count == 0
            ? $"tagged({string.Join(' ', _tags)})"
            : $"tagged({string.Join(' ', _tags)} of {string.Join('|', _types.Order(StringComparer.Ordinal))})";

    /// <summary>Checks and orders the tags and types of an item.</summary>
    /// <exception cref="InvalidFilterException">A tag or type is malformed, or no tag is given.</exception>
    internal static TagQueryItem Make(IEnumerable<string> types, IEnumerable<string> tags)
    {
        var checkedTags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            ArgumentNullException.ThrowIfNull(tag, nameof(tags));
            if (NameRules.CheckTag(tag) is { } error)
            {
                throw new InvalidFilterException(tag, error);
            }

            checkedTags.Add(tag);
        }

        if (checkedTags.Count == 0)
        {
            throw new InvalidFilterException(string.Empty, "a tag query item needs at least one tag");
        }

        var checkedTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            ArgumentNullException.ThrowIfNull(type, nameof(types));
            if (NameRules.CheckEventType(type) is { } error)
            {
                throw new InvalidFilterException(type, error);
            }

            checkedTypes.Add(type);
        }

        return new TagQueryItem([.. checkedTags], checkedTypes);
    }

    /// <summary>Whether this item matches whatever <paramref name="other"/> does and maybe more: fewer tags, fewer or no types.</summary>
    internal bool Covers(TagQueryItem other) =>
        _tags.All(t => Carries(other._tags, t))
        && (_types.Count == 0 || (other._types.Count > 0 && other._types.IsSubsetOf(_types)));

    private static bool Carries(IReadOnlyList<string> tags, string tag)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.Equals(tags[i], tag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
