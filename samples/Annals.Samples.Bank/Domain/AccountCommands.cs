using Annals.Serialization;

namespace Annals.Samples.Bank.Domain;

/// <summary>A command to one account entity.</summary>
public interface IAccountCommand
{
    string Account { get; }
}

public sealed record OpenAccount(string Account, string Owner) : IAccountCommand;

public sealed record Deposit(string Account, long Amount) : IAccountCommand;

public sealed record Withdraw(string Account, long Amount) : IAccountCommand;

/// <summary>Closes an account: from then on it takes no deposit, withdrawal, transfer or credit.</summary>
public sealed record CloseAccount(string Account) : IAccountCommand;

/// <summary>The credit of a transfer whose debit is stored; sent by the transfer process, which stores it with its step (hence a stored type).</summary>
[EventType("ReceiveTransfer")]
public sealed record ReceiveTransfer(string Account, string Transfer, string From, long Amount) : IAccountCommand;

/// <summary>Gives a transfer's debit back to its sender when the credit was not stored in time; sent by the transfer process.</summary>
[EventType("RefundTransfer")]
public sealed record RefundTransfer(string Account, string Transfer, string To, long Amount) : IAccountCommand;
