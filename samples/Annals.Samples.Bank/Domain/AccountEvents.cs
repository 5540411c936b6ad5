using Annals.Serialization;

namespace Annals.Samples.Bank.Domain;

/// <summary>An event of one account; it names the account so that read models over many accounts can tell them apart.</summary>
public interface IAccountEvent
{
    string Account { get; }
}

[EventType("AccountOpened")]
public sealed record AccountOpened(string Account, string Owner) : IAccountEvent;

[EventType("MoneyDeposited")]
public sealed record MoneyDeposited(string Account, long Amount) : IAccountEvent;

[EventType("MoneyWithdrawn")]
public sealed record MoneyWithdrawn(string Account, long Amount) : IAccountEvent;

/// <summary>The debit of a transfer, decided over both accounts; its credit follows as <see cref="TransferReceived"/>.</summary>
[EventType("TransferSent")]
public sealed record TransferSent(string Account, string Transfer, string To, long Amount) : IAccountEvent;

/// <summary>The credit of a transfer, decided by the receiver's entity once per <see cref="TransferSent"/>, on the transfer process's command.</summary>
[EventType("TransferReceived")]
public sealed record TransferReceived(string Account, string Transfer, string From, long Amount) : IAccountEvent;

/// <summary>A transfer's debit given back to its sender: its credit was not stored before the refund deadline.</summary>
[EventType("TransferRefunded")]
public sealed record TransferRefunded(string Account, string Transfer, string To, long Amount) : IAccountEvent;

/// <summary>The account is closed: it takes no deposit, withdrawal, transfer or credit any more; its balance stays as it is.</summary>
[EventType("AccountClosed")]
public sealed record AccountClosed(string Account) : IAccountEvent;
