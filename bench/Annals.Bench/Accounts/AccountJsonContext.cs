using System.Text.Json;
using System.Text.Json.Serialization;

namespace Annals.Bench.Accounts;

/// <summary>Source-generated JSON of the account types, with the web defaults <see cref="Annals.Serialization.JsonPayloadSerializer"/> uses.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Deposited))]
[JsonSerializable(typeof(Withdrawn))]
[JsonSerializable(typeof(WithdrawalDeclined))]
[JsonSerializable(typeof(AccountState))]
internal sealed partial class AccountJsonContext : JsonSerializerContext;
