using Annals.Deciders;
using Annals.Serialization;

namespace Annals.Bench.Accounts;

/// <summary>The decider of the <c>decide</c> and <c>entity</c> workloads: every deposit or withdrawal decides exactly one event, so each stores one row; a zero amount stores nothing.</summary>
internal static class AccountDecider
{
    private const string Currency = "EUR";

    public static IDecider<AccountCommand, AccountState, AccountEvent> Instance { get; } =
        Decider.Create<AccountCommand, AccountState, AccountEvent>(AccountState.Empty, Decide, Evolve);

    /// <summary>The stored names of the events, and of the state when it is snapshotted.</summary>
    /// <param name="snapshots">
    /// Whether to register the state: <see cref="TypedEventStore.LoadAsync{TState, TEvent}"/> looks for a
    /// snapshot (one more query) only when the state type is registered, so without snapshots it is not.
    /// </param>
    public static TypeRegistry Registry(bool snapshots = true)
    {
        var registry = new TypeRegistry()
            .Register<Deposited>("Deposited")
            .Register<Withdrawn>("Withdrawn")
            .Register<WithdrawalDeclined>("WithdrawalDeclined");
        return snapshots ? registry.Register<AccountState>("AccountState") : registry;
    }

    private static AccountEvent[] Decide(AccountCommand command, AccountState state)
    {
        // A zero amount only asks for the balance: nothing is stored, so a first command measures recovery alone.
        if (command.Amount == 0)
        {
            return [];
        }

        if (command.Amount > 0)
        {
            return [new Deposited(command.Account, command.Amount, Currency, command.Reference)];
        }

        var amount = -command.Amount;

        // A declined withdrawal is recorded rather than thrown, so that every command stores one event.
        return state.Balance >= amount
            ? [new Withdrawn(command.Account, amount, Currency, command.Reference)]
            : [new WithdrawalDeclined(command.Account, amount, Currency, command.Reference)];
    }

    private static AccountState Evolve(AccountState state, AccountEvent @event) => @event switch
    {
        Deposited d => new AccountState(state.Balance + d.Amount, state.Events + 1),
        Withdrawn w => new AccountState(state.Balance - w.Amount, state.Events + 1),
        _ => state with { Events = state.Events + 1 },
    };
}
