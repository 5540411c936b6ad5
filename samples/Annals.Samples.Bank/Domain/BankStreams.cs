using System.Text.RegularExpressions;
using Annals.Storage;

namespace Annals.Samples.Bank.Domain;

/// <summary>The names the bank stores under.</summary>
public static partial class BankStreams
{
    /// <summary>The account entity's stream, <c>account.{id}</c>.</summary>
    public static StreamName Account(string id) => StreamName.For(AccountEntity.Category, id);

    /// <summary>The balances projection's durable state for one account, <c>balance.{id}</c>.</summary>
    public static StreamName Balance(string id) => StreamName.For("balance", id);

    /// <summary>Account ids are kept to letters, digits, '-' and '_' (at most 64), so they read well in URLs and filters.</summary>
    public static bool IsValidAccountId(string? id) => id is not null && AccountId().IsMatch(id);

    /// <summary>Transfer ids follow the same rule: a transfer's id names its instance of the transfer process, a stream id.</summary>
    public static bool IsValidTransferId(string? id) => IsValidAccountId(id);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex AccountId();
}
