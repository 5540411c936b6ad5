using System.Text;
using System.Text.Json;

namespace Annals.Storage.Providers;

/// <summary>Strings as one JSON array: how SQL backends store an event's tags, and bind a list of keys as one parameter.</summary>
public static class JsonStrings
{
    /// <summary>Writes strings as a JSON array, in the order given.</summary>
    /// <param name="values">The strings.</param>
    /// <returns>The JSON text.</returns>
    public static string ToArray(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
