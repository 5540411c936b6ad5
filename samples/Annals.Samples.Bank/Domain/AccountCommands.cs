namespace Annals.Samples.Bank.Domain;

/// <summary>A command to one account entity.</summary>
public interface IAccountCommand
{
    string Account { get; }
}

public sealed record OpenAccount(string Account, string Owner) : IAccountCommand;

public sealed record Deposit(string Account, long Amount) : IAccountCommand;

public sealed record Withdraw(string Account, long Amount) : IAccountCommand;
