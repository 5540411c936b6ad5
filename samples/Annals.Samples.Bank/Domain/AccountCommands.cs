namespace Annals.Samples.Bank.Domain;

/// <summary>A command to one account entity.</summary>
public interface IAccountCommand
{
    string Account { get; }
}

public sealed record OpenAccount(string Account, string Owner) : IAccountCommand;

public sealed record Deposit(string Account, long Amount) : IAccountCommand;

public sealed record Withdraw(string Account, long Amount) : IAccountCommand;

/// <summary>The credit of a transfer whose debit is stored; sent by the settlement projection.</summary>
public sealed record ReceiveTransfer(string Account, string Transfer, string From, long Amount) : IAccountCommand;
