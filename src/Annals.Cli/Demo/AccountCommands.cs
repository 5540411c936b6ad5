using Annals.Serialization;

namespace Annals.Cli.Demo;

/// <summary>A command to an open account, decided on its stream by <see cref="AccountDecider"/>.</summary>
internal interface IAccountCommand
{
    /// <summary>The account's id.</summary>
    string Account { get; }
}

/// <summary>Pay money in.</summary>
[EventType("Deposit")]
internal sealed record Deposit(string Account, long Amount, string Reference) : IAccountCommand;

/// <summary>Pay money out, if the balance covers it.</summary>
internal sealed record Withdraw(string Account, long Amount, string Reference) : IAccountCommand;

/// <summary>Send money to another account, if the balance covers it.</summary>
[EventType("SendTransfer")]
internal sealed record SendTransfer(string Account, string Transfer, string To, long Amount) : IAccountCommand;

/// <summary>Take in money another account sent.</summary>
[EventType("ReceiveTransfer")]
internal sealed record ReceiveTransfer(string Account, string Transfer, string From, long Amount) : IAccountCommand;

/// <summary>Open an account: decided by <see cref="AccountOpening"/> over every account, because an e-mail may own one account only.</summary>
internal sealed record OpenAccount(string Account, string Owner, string Email);
