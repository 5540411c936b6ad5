using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Annals.Storage.Providers;

namespace Annals.Serialization;

public sealed partial class TypeRegistry
{
    // An upcaster chain longer than this is almost certainly two upcasters undoing each other.
    private const int MaxUpcastSteps = 64;

    private readonly ConcurrentDictionary<(string Type, int Version), Func<StoredPayload, IEnumerable<StoredPayload>>> _upcasters = new();

    /// <summary>Whether any upcaster is registered; lets reads skip the look-up entirely when none is.</summary>
    internal bool HasUpcasters => !_upcasters.IsEmpty;

    /// <summary>Registers an upcaster for stored payloads of one name and schema version; it may rename, change the data, or split one payload into several.</summary>
    /// <param name="type">The stored name it applies to (need not be registered: a renamed type's old name usually is not).</param>
    /// <param name="fromVersion">The schema version it applies to.</param>
    /// <param name="upcast">The transformation; each result must differ from its input in name or version, and results are upcast again.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">An upcaster for that name and version is already registered.</exception>
    public TypeRegistry AddUpcaster(string type, int fromVersion, Func<StoredPayload, IEnumerable<StoredPayload>> upcast)
    {
        NameChecks.Type(type);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        ArgumentNullException.ThrowIfNull(upcast);
        if (!_upcasters.TryAdd((type, fromVersion), upcast))
        {
            throw new ArgumentException($"An upcaster for '{type}' version {fromVersion} is already registered.", nameof(type));
        }

        return this;
    }

    /// <summary>Registers an upcaster that turns one stored payload into exactly one other.</summary>
    /// <param name="type">The stored name it applies to.</param>
    /// <param name="fromVersion">The schema version it applies to.</param>
    /// <param name="upcast">The transformation; the result must differ from its input in name or version.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">An upcaster for that name and version is already registered.</exception>
    public TypeRegistry AddUpcaster(string type, int fromVersion, Func<StoredPayload, StoredPayload> upcast)
    {
        ArgumentNullException.ThrowIfNull(upcast);
        return AddUpcaster(type, fromVersion, payload => [upcast(payload)]);
    }

    /// <summary>Registers an upcaster of JSON payloads from <paramref name="fromVersion"/> to the next version of the same name.</summary>
    /// <param name="type">The stored name it applies to.</param>
    /// <param name="fromVersion">The schema version it applies to; the result has version <paramref name="fromVersion"/> + 1.</param>
    /// <param name="upgrade">Changes the JSON object (it may change and return the one it is given).</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">An upcaster for that name and version is already registered.</exception>
    public TypeRegistry AddJsonUpcaster(string type, int fromVersion, Func<JsonObject, JsonObject> upgrade)
    {
        ArgumentNullException.ThrowIfNull(upgrade);
        return AddUpcaster(type, fromVersion, payload =>
        {
            var node = JsonNode.Parse(payload.Data.Span) as JsonObject
                ?? throw new JsonException($"The payload of '{payload.Type}' version {payload.SchemaVersion} is not a JSON object.");
            var upgraded = upgrade(node);
            return new StoredPayload(payload.Type, payload.SchemaVersion + 1, JsonSerializer.SerializeToUtf8Bytes(upgraded));
        });
    }

    /// <summary>Applies every matching upcaster until none matches.</summary>
    /// <param name="payload">The stored payload.</param>
    /// <returns>The payloads to deserialize, usually the one given.</returns>
    /// <exception cref="InvalidOperationException">An upcaster returned its input unchanged, or the chain does not end.</exception>
    internal IReadOnlyList<StoredPayload> Upcast(StoredPayload payload)
    {
        if (!_upcasters.ContainsKey((payload.Type, payload.SchemaVersion)))
        {
            return [payload];
        }

        var results = new List<StoredPayload>();
        Expand(payload, 0, results);
        return results;
    }

    private void Expand(StoredPayload payload, int depth, List<StoredPayload> results)
    {
        if (!_upcasters.TryGetValue((payload.Type, payload.SchemaVersion), out var upcast))
        {
            results.Add(payload);
            return;
        }

        if (depth == MaxUpcastSteps)
        {
            throw new InvalidOperationException($"Upcasting '{payload.Type}' version {payload.SchemaVersion} did not end after {MaxUpcastSteps} steps; do two upcasters undo each other?");
        }

        foreach (var next in upcast(payload))
        {
            if (next.Type == payload.Type && next.SchemaVersion == payload.SchemaVersion)
            {
                throw new InvalidOperationException($"The upcaster of '{payload.Type}' version {payload.SchemaVersion} returned a payload of the same name and version.");
            }

            NameChecks.Type(next.Type);
            Expand(next, depth + 1, results);
        }
    }
}
