using System.Text.Json.Serialization;
using Annals.Serialization;

namespace Annals.Cli.Demo;

/// <summary>What <see cref="AccountDecider"/> knows of one account: enough to decide, nothing more. Registered, so it can be snapshotted.</summary>
/// <param name="Owner">The owner; <see langword="null"/> until the account is opened.</param>
/// <param name="Balance">The balance, in whole euros.</param>
[EventType("AccountState")]
internal sealed record AccountState(string? Owner, long Balance)
{
    /// <summary>An account before its first event.</summary>
    public static AccountState Unopened { get; } = new(null, 0);

    /// <summary>Whether the account was opened.</summary>
    [JsonIgnore]
    public bool IsOpen => Owner is not null;
}
