using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Annals.Serialization;

/// <summary>System.Text.Json serialization, with reflection or with source-generated contexts.</summary>
/// <remarks>
/// Pass a <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> (or options whose
/// <see cref="JsonSerializerOptions.TypeInfoResolver"/> is one) to serialize without reflection: faster,
/// and safe to trim.
/// </remarks>
public sealed class JsonPayloadSerializer : IPayloadSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Serializes with <see cref="JsonSerializerDefaults.Web"/> options and reflection.</summary>
    public JsonPayloadSerializer()
        : this(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() })
    {
    }

    /// <summary>Serializes with the given options.</summary>
    /// <param name="options">The options; made read-only.</param>
    public JsonPayloadSerializer(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        _options = options;
    }

    /// <summary>Serializes with a type-info resolver, typically a source-generated context.</summary>
    /// <param name="resolver">The resolver.</param>
    public JsonPayloadSerializer(IJsonTypeInfoResolver resolver)
        : this(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = resolver ?? throw new ArgumentNullException(nameof(resolver)) })
    {
    }

    /// <summary>A shared instance with the default options.</summary>
    public static JsonPayloadSerializer Default { get; } = new();

    /// <inheritdoc />
    public byte[] Serialize(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, _options.GetTypeInfo(type));

    /// <inheritdoc />
    public object Deserialize(ReadOnlySpan<byte> data, Type type) =>
        JsonSerializer.Deserialize(data, _options.GetTypeInfo(type))
        ?? throw new JsonException($"The payload is JSON null, not a {type.Name}.");
}
