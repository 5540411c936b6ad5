namespace Annals.Samples.Bank.Domain;

/// <summary>A command the bank's rules refuse; nothing is stored. Each kind maps to its own HTTP status.</summary>
public abstract class BankRuleException(string account, string reason)
    : Exception($"Rejected for account '{account}': {reason}.")
{
    public string Account { get; } = account;

    public string Reason { get; } = reason;
}

/// <summary>The account was never opened.</summary>
public sealed class AccountNotFoundException(string account)
    : BankRuleException(account, "the account does not exist");

/// <summary>The account is open already.</summary>
public sealed class AccountAlreadyOpenException(string account)
    : BankRuleException(account, "the account is already open");

/// <summary>The account is closed: it takes no deposit, withdrawal, transfer or credit.</summary>
public sealed class AccountClosedException(string account)
    : BankRuleException(account, "the account is closed");

/// <summary>The command itself is malformed: a non-positive amount, a blank owner, a transfer to the same account.</summary>
public sealed class InvalidCommandException(string account, string reason)
    : BankRuleException(account, reason);

/// <summary>The balance does not cover a withdrawal or a transfer.</summary>
public sealed class InsufficientFundsException(string account, long balance, long requested)
    : BankRuleException(account, $"insufficient funds: the balance is {balance} and {requested} was requested")
{
    public long Balance { get; } = balance;

    public long Requested { get; } = requested;
}
