namespace Annals.Serialization;

/// <summary>Turns objects into bytes and back; System.Text.Json by default (<see cref="JsonPayloadSerializer"/>).</summary>
public interface IPayloadSerializer
{
    /// <summary>Serializes a value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="type">The registered type to serialize it as.</param>
    /// <returns>The bytes.</returns>
    byte[] Serialize(object value, Type type);

    /// <summary>Deserializes a value.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="type">The type to make.</param>
    /// <returns>The value.</returns>
    /// <exception cref="Exception">Any exception means the bytes are not a <paramref name="type"/>; callers wrap it with the facts of where the bytes came from.</exception>
    object Deserialize(ReadOnlySpan<byte> data, Type type);
}
