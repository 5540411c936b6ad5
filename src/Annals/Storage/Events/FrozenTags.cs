using System.Collections;
using System.Text;
using Annals.Storage.Providers;

namespace Annals.Storage;

/// <summary>
/// The tags of an event as a store keeps them: a checked copy, in the order given, with the JSON text they are stored
/// as, made once; its length is what the tags add to the event's size, as metadata's does.
/// </summary>
internal sealed class FrozenTags : IReadOnlyList<string>
{
    /// <summary>No tags, stored as nothing.</summary>
    public static readonly FrozenTags Empty = new([], null);

    private readonly string[] _tags;

    private FrozenTags(string[] tags, string? json)
    {
        _tags = tags;
        Json = json;
        Size = json is null ? 0 : Encoding.UTF8.GetByteCount(json);
    }

    /// <summary>The tags as a JSON array of strings, or <see langword="null"/> when there are none.</summary>
    public string? Json { get; }

    /// <summary>The UTF-8 bytes of <see cref="Json"/>: what the tags add to an event's size.</summary>
    public int Size { get; }

    /// <summary>Checks and copies tags; tags already frozen are shared as they are.</summary>
    /// <param name="tags">The caller's tags, or <see langword="null"/> for none.</param>
    /// <returns>The frozen copy.</returns>
    /// <exception cref="InvalidNameException">A tag is null or malformed, appears twice, or there are more than <see cref="EventStoreLimits.MaxTagsPerEvent"/>.</exception>
    public static FrozenTags From(IEnumerable<string>? tags)
    {
        if (tags is null or FrozenTags { Count: 0 })
        {
            return Empty;
        }

        if (tags is FrozenTags frozen)
        {
            return frozen;
        }

        var checkedTags = new List<string>();
        foreach (var tag in tags)
        {
            if (tag is null)
            {
                throw new InvalidNameException(NameKind.Tag, string.Empty, "a tag is null");
            }

            if (NameRules.CheckTag(tag) is { } error)
            {
                throw new InvalidNameException(NameKind.Tag, tag, error);
            }

            // Tags are a set: a repeat is refused rather than dropped, so what is read back is exactly what was given.
            if (checkedTags.Contains(tag, StringComparer.Ordinal))
            {
                throw new InvalidNameException(NameKind.Tag, tag, "the tag appears more than once on the event");
            }

            if (checkedTags.Count == EventStoreLimits.MaxTagsPerEvent)
            {
                throw new InvalidNameException(NameKind.Tag, tag, $"an event carries at most {EventStoreLimits.MaxTagsPerEvent} tags");
            }

            checkedTags.Add(tag);
        }

        return checkedTags.Count == 0 ? Empty : new FrozenTags([.. checkedTags], TagsJson.ToJson(checkedTags));
    }

    /// <inheritdoc />
    public string this[int index] => _tags[index];

    /// <inheritdoc />
    public int Count => _tags.Length;

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_tags).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _tags.GetEnumerator();
}
