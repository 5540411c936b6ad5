using Annals.Serialization;

namespace Annals.Cli.Demo;

/// <summary>An event of one account; each names its account, so read models over many accounts can tell them apart.</summary>
internal interface IAccountEvent
{
    /// <summary>The account's id: <c>alice</c> for the stream <c>account.alice</c>.</summary>
    string Account { get; }
}

/// <summary>An account was opened for an owner, whose e-mail no other account has.</summary>
[EventType("Opened")]
internal sealed record AccountOpened(string Account, string Owner, string Email, string Currency) : IAccountEvent;

/// <summary>Money was paid in.</summary>
[EventType("Deposited")]
internal sealed record Deposited(string Account, long Amount, string Reference) : IAccountEvent;

/// <summary>Money was paid out.</summary>
[EventType("Withdrawn")]
internal sealed record Withdrawn(string Account, long Amount, string Reference) : IAccountEvent;

/// <summary>Money left for another account.</summary>
[EventType("TransferSent")]
internal sealed record TransferSent(string Account, string Transfer, string To, long Amount) : IAccountEvent;

/// <summary>Money arrived from another account.</summary>
[EventType("TransferReceived")]
internal sealed record TransferReceived(string Account, string Transfer, string From, long Amount) : IAccountEvent;
