using System.Text;
using System.Text.Json;

namespace Annals.Storage.Providers;

/// <summary>Metadata as a JSON object of strings, as SQL backends store it; no metadata is stored as null.</summary>
public static class MetadataJson
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>Encodes metadata for a text column.</summary>
    /// <param name="metadata">The metadata.</param>
    /// <returns>The JSON text, or <see langword="null"/> when there is none.</returns>
    public static string? Encode(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata is FrozenMetadata frozen)
        {
            // Events and messages carry the text they are stored as, made once when they were made.
            return frozen.Json;
        }

        if (metadata.Count == 0)
        {
            return null;
        }

        return ToJson(metadata);
    }

    /// <summary>The entries as a JSON object of strings, in the order given.</summary>
    internal static string ToJson(IEnumerable<KeyValuePair<string, string>> entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in entries)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Decodes metadata read from a text column.</summary>
    /// <param name="json">The JSON text, or <see langword="null"/> for none.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="CorruptDataException">The text is not a JSON object of strings.</exception>
    public static IReadOnlyDictionary<string, string> Decode(string? json)
    {
        if (json is null)
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = property.Value.GetString() ?? string.Empty;
            }

            return result;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CorruptDataException($"Stored metadata is not a JSON object of strings: {e.Message}", e);
        }
    }
}
