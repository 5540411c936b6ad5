using System.Text.Json;

namespace Annals.Storage.Providers;

/// <summary>An event's tags as a JSON array of strings, as SQL backends store them beside the event; no tags are stored as null.</summary>
public static class TagsJson
{
    private static readonly string[] None = [];

    /// <summary>Encodes tags for a text column.</summary>
    /// <param name="tags">The tags.</param>
    /// <returns>The JSON text, or <see langword="null"/> when there are none.</returns>
    public static string? Encode(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags is FrozenTags frozen)
        {
            // An event carries the text its tags are stored as, made once when it was made.
            return frozen.Json;
        }

        return tags.Count == 0 ? null : ToJson(tags);
    }

    /// <summary>The tags as a JSON array of strings, in the order given.</summary>
    internal static string ToJson(IEnumerable<string> tags) => JsonStrings.ToArray(tags);

    /// <summary>Decodes tags read from a text column.</summary>
    /// <param name="json">The JSON text, or <see langword="null"/> for none.</param>
    /// <returns>The tags, in the order stored.</returns>
    /// <exception cref="CorruptDataException">The text is not a JSON array of strings.</exception>
    public static IReadOnlyList<string> Decode(string? json)
    {
        if (json is null)
        {
            return None;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var tags = new string[document.RootElement.GetArrayLength()];
            var i = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                tags[i++] = element.GetString() ?? throw new CorruptDataException("A stored tag is null.");
            }

            return tags;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CorruptDataException($"Stored tags are not a JSON array of strings: {e.Message}", e);
        }
    }
}
