namespace Annals.Bench.Accounts;

/// <summary>
/// The events of the benchmark's account decider: a closed set of three, each about 100 bytes of
/// JSON (<c>{"account":"acc-000042","amount":125.5,"currency":"EUR","reference":"&lt;32 hex&gt;"}</c>).
/// </summary>
internal abstract record AccountEvent(string Account, decimal Amount, string Currency, string Reference);

internal sealed record Deposited(string Account, decimal Amount, string Currency, string Reference)
    : AccountEvent(Account, Amount, Currency, Reference);

internal sealed record Withdrawn(string Account, decimal Amount, string Currency, string Reference)
    : AccountEvent(Account, Amount, Currency, Reference);

internal sealed record WithdrawalDeclined(string Account, decimal Amount, string Currency, string Reference)
    : AccountEvent(Account, Amount, Currency, Reference);
