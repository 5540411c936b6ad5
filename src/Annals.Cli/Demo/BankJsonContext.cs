using System.Text.Json;
using System.Text.Json.Serialization;

namespace Annals.Cli.Demo;

/// <summary>The JSON of the bank's events and state, generated at compile time: no reflection when they are stored or read.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AccountOpened))]
[JsonSerializable(typeof(Deposited))]
[JsonSerializable(typeof(Withdrawn))]
[JsonSerializable(typeof(TransferSent))]
[JsonSerializable(typeof(TransferReceived))]
[JsonSerializable(typeof(AccountState))]
[JsonSerializable(typeof(TransferRequested))]
[JsonSerializable(typeof(CreditDeadline))]
[JsonSerializable(typeof(TransferState))]
[JsonSerializable(typeof(Deposit))]
[JsonSerializable(typeof(SendTransfer))]
[JsonSerializable(typeof(ReceiveTransfer))]
internal sealed partial class BankJsonContext : JsonSerializerContext;
