using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Annals.Storage.Providers;

namespace Annals.Storage;

/// <summary>
/// Metadata as a store keeps it: a checked copy of what the caller gave, which no later change of the caller's
/// dictionary reaches, with the JSON text it is stored as, made once; its length is what the size limit counts.
/// </summary>
internal sealed class FrozenMetadata : IReadOnlyDictionary<string, string>
{
    /// <summary>No metadata, stored as nothing.</summary>
    public static readonly FrozenMetadata Empty = new(new Dictionary<string, string>(0, StringComparer.Ordinal), null);

    private readonly Dictionary<string, string> _entries;

    private FrozenMetadata(Dictionary<string, string> entries, string? json)
    {
        _entries = entries;
        Json = json;
        Size = json is null ? 0 : Encoding.UTF8.GetByteCount(json);
    }

    /// <summary>The metadata as a JSON object of strings, or <see langword="null"/> when there is none.</summary>
    public string? Json { get; }

    /// <summary>The UTF-8 bytes of <see cref="Json"/>: what the metadata adds to an event's size.</summary>
    public int Size { get; }

    /// <summary>Checks and copies metadata; metadata already frozen is shared as it is.</summary>
    /// <param name="metadata">The caller's metadata, or <see langword="null"/> for none.</param>
    /// <param name="paramName">The argument's name, for the error.</param>
    /// <returns>The frozen copy.</returns>
    /// <exception cref="ArgumentException">A key is null, empty, ill-formed or holds a control or format character, or a value is null or ill-formed.</exception>
    public static FrozenMetadata From(IReadOnlyDictionary<string, string>? metadata, string paramName)
    {
        switch (metadata)
        {
            case null:
                return Empty;
            case FrozenMetadata frozen:
                return frozen;
            case { Count: 0 }:
                return Empty;
        }

        var entries = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (key is null)
            {
                throw new ArgumentException("A metadata key is null.", paramName);
            }

            if (NameRules.CheckMetadataKey(key) is { } keyError)
            {
                throw new ArgumentException($"Invalid metadata key '{key}': {keyError}.", paramName);
            }

            if (value is null)
            {
                throw new ArgumentException($"The value of metadata key '{key}' is null; metadata values are text.", paramName);
            }

            if (NameRules.CheckWellFormed(value, "value") is { } valueError)
            {
                throw new ArgumentException($"Invalid value of metadata key '{key}': {valueError}.", paramName);
            }

            // A dictionary that yields one key twice (a custom one, or one with another comparer) must not store either silently.
            if (!entries.TryAdd(key, value))
            {
                throw new ArgumentException($"Metadata key '{key}' appears more than once.", paramName);
            }
        }

        return entries.Count == 0 ? Empty : new FrozenMetadata(entries, MetadataJson.ToJson(entries));
    }

    /// <summary>
    /// This metadata and one entry more, which it does not hold yet: for what the store adds to events (a trace context),
    /// without encoding the rest again. The entry is the caller's, already valid.
    /// </summary>
    internal FrozenMetadata With(string key, string value)
    {
        var entries = new Dictionary<string, string>(_entries.Count + 1, StringComparer.Ordinal);
        foreach (var (k, v) in _entries)
        {
            entries[k] = v;
        }

        entries.Add(key, value);
        if (!NeedsNoEscaping(key) || !NeedsNoEscaping(value))
        {
            return new FrozenMetadata(entries, MetadataJson.ToJson(entries));
        }

        var json = Json is null ? $"{{\"{key}\":\"{value}\"}}" : $"{Json.AsSpan(0, Json.Length - 1)},\"{key}\":\"{value}\"}}";
        return new FrozenMetadata(entries, json);
    }

    private static bool NeedsNoEscaping(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':' or '/' or '='))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public string this[string key] => _entries[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _entries.Keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _entries.Values;

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _entries.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
