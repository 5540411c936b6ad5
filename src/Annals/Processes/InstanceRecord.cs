using System.Text.Json;
using System.Text.Json.Serialization;

namespace Annals.Processes;

/// <summary>
/// What is stored of an instance, as its durable state: the process's state, encoded by the codec, and its pending
/// timeouts by name, so that cancelling one, or ending the instance, finds each of them in the same commit.
/// </summary>
internal sealed class InstanceRecord
{
    public const string TypeName = "annals-process-instance";

    [JsonPropertyName("type")]
    public string StateType { get; set; } = string.Empty;

    [JsonPropertyName("state")]
    public byte[] State { get; set; } = [];

    [JsonPropertyName("timeouts")]
    public Dictionary<string, Guid> Timeouts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many timeouts the instance has scheduled.</summary>
    [JsonPropertyName("scheduled")]
    public long Scheduled { get; set; }

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, InstanceRecordJson.Default.InstanceRecord);

    public static InstanceRecord Decode(ReadOnlyMemory<byte> data) =>
        JsonSerializer.Deserialize(data.Span, InstanceRecordJson.Default.InstanceRecord)
        ?? throw new InvalidDataException("A process instance's record is empty.");
}

[JsonSerializable(typeof(InstanceRecord))]
internal sealed partial class InstanceRecordJson : JsonSerializerContext;
