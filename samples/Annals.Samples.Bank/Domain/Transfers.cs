using System.Collections.Immutable;
using Annals.Deciders;
using Annals.Storage;

namespace Annals.Samples.Bank.Domain;

/// <summary>Moves money from one account to another. <c>Transfer</c> is its id, also the command's message id, so sending it again stores nothing twice.</summary>
public sealed record TransferFunds(string Transfer, string From, string To, long Amount);

/// <summary>
/// Decides a transfer over the events of both accounts
/// (<see cref="TypedEventStore.DecideAsync{TCommand, TState, TEvent}(EventFilter, StreamName, IDecider{TCommand, TState, TEvent}, TCommand, DecideOptions?, CancellationToken)"/>):
/// the debit, <see cref="TransferSent"/>, is appended to the sender's stream on condition that neither the sender's
/// stream nor the receiver's opening or closing changed since they were read. The transfer process then sends the credit
/// to the receiver's entity, once per debit, and refunds the debit if the credit is not stored by its deadline
/// (<see cref="Processes.TransferProcess"/>).
/// </summary>
public sealed class TransferDecider : IDecider<TransferFunds, ImmutableDictionary<string, AccountState>, IAccountEvent>
{
    public static TransferDecider Instance { get; } = new();

    public ImmutableDictionary<string, AccountState> InitialState { get; } = ImmutableDictionary.Create<string, AccountState>(StringComparer.Ordinal);

    /// <summary>
    /// What a transfer depends on: every event of the sender (its balance) and the receiver's opening and closing
    /// (credits to the receiver cannot change the decision and need not make it run again).
    /// </summary>
    public static EventFilter Consistency(TransferFunds transfer) =>
        EventFilter.ForStreams(BankStreams.Account(transfer.From))
            .Or(EventFilter.Subjects($"{AccountEntity.Category}.{transfer.To}.AccountOpened", $"{AccountEntity.Category}.{transfer.To}.AccountClosed"));

    public IEnumerable<IAccountEvent> Decide(TransferFunds command, ImmutableDictionary<string, AccountState> accounts)
    {
        if (command.From == command.To)
        {
            throw new InvalidCommandException(command.From, "a transfer needs two different accounts");
        }

        var from = AccountRules.Active(command.From, accounts.GetValueOrDefault(command.From, AccountState.Unopened));
        AccountRules.Active(command.To, accounts.GetValueOrDefault(command.To, AccountState.Unopened));
        return [new TransferSent(command.From, command.Transfer, command.To, AccountRules.Covered(command.From, command.Amount, from))];
    }

    public ImmutableDictionary<string, AccountState> Evolve(ImmutableDictionary<string, AccountState> accounts, IAccountEvent @event) =>
        accounts.SetItem(@event.Account, AccountRules.Evolve(accounts.GetValueOrDefault(@event.Account, AccountState.Unopened), @event));
}
