using System.Text.Json.Serialization;

namespace Annals.Samples.Bank.Domain;

/// <summary>An account as its own stream tells it; <c>Closed</c> once it is closed.</summary>
public sealed record AccountState(string? Owner, long Balance, bool Closed = false)
{
    public static AccountState Unopened { get; } = new(null, 0);

    [JsonIgnore]
    public bool IsOpen => Owner is not null;
}
