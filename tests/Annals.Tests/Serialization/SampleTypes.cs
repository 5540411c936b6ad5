using System.Text.Json.Serialization;
using Annals.Serialization;

namespace Annals.Tests.Serialization;

[EventType("account-opened")]
public sealed record AccountOpened(string Owner);

[EventType("money-deposited", SchemaVersion = 2)]
public sealed record MoneyDeposited(decimal Amount, string Currency);

public sealed record NotRegistered(int N);

public sealed record OwnerRenamed(string Owner);

[JsonSerializable(typeof(AccountOpened))]
[JsonSerializable(typeof(MoneyDeposited))]
public sealed partial class SampleJsonContext : JsonSerializerContext;
