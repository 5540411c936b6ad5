using Annals.Deciders;

namespace Annals.Samples.Bank.Domain;

/// <summary>The behaviour of an account entity (stream <c>account.{id}</c>) on the entity engine: open, deposit, withdraw, close, and receive or refund a transfer.</summary>
/// <remarks>
/// Every event that raises a balance is decided here, by the entity, so the state it keeps in memory never misses
/// money and never rejects a withdrawal the balance covers. A transfer's debit is appended beside it (by the transfer
/// decider): a state that has not seen it is only too high, and the append of a command decided on it fails its
/// expected revision, so the entity reloads and decides again.
/// </remarks>
public sealed class AccountEntity : IDecider<IAccountCommand, AccountState, IAccountEvent>
{
    public const string Category = "account";

    public static AccountEntity Instance { get; } = new();

    public AccountState InitialState => AccountState.Unopened;

    public IEnumerable<IAccountEvent> Decide(IAccountCommand command, AccountState state) => command switch
    {
        OpenAccount c => Open(c, state),
        Deposit c => DepositInto(c, state),
        Withdraw c => WithdrawFrom(c, state),
        CloseAccount c => Close(c, state),
        ReceiveTransfer c => Receive(c, state),
        RefundTransfer c => Refund(c, state),
        _ => throw new ArgumentException($"{command.GetType().Name} is not an account command.", nameof(command)),
    };

    public AccountState Evolve(AccountState state, IAccountEvent @event) => AccountRules.Evolve(state, @event);

    private static IEnumerable<IAccountEvent> Open(OpenAccount command, AccountState state)
    {
        if (state.IsOpen)
        {
            throw new AccountAlreadyOpenException(command.Account);
        }

        return string.IsNullOrWhiteSpace(command.Owner)
            ? throw new InvalidCommandException(command.Account, "an account needs an owner")
            : [new AccountOpened(command.Account, command.Owner.Trim())];
    }

    private static IEnumerable<IAccountEvent> DepositInto(Deposit command, AccountState state)
    {
        AccountRules.Active(command.Account, state);
        return [new MoneyDeposited(command.Account, AccountRules.Positive(command.Account, command.Amount))];
    }

    private static IEnumerable<IAccountEvent> Close(CloseAccount command, AccountState state)
    {
        AccountRules.Active(command.Account, state);
        return [new AccountClosed(command.Account)];
    }

    // A closed receiver refuses the credit: the transfer process then refunds the sender at the deadline.
    private static IEnumerable<IAccountEvent> Receive(ReceiveTransfer command, AccountState state)
    {
        AccountRules.Active(command.Account, state);
        return [new TransferReceived(command.Account, command.Transfer, command.From, AccountRules.Positive(command.Account, command.Amount))];
    }

    // A refund gives back a debit the account made: it is taken even once the account is closed.
    private static IEnumerable<IAccountEvent> Refund(RefundTransfer command, AccountState state)
    {
        AccountRules.Opened(command.Account, state);
        return [new TransferRefunded(command.Account, command.Transfer, command.To, AccountRules.Positive(command.Account, command.Amount))];
    }

    private static IEnumerable<IAccountEvent> WithdrawFrom(Withdraw command, AccountState state) =>
        [new MoneyWithdrawn(command.Account, AccountRules.Covered(command.Account, command.Amount, AccountRules.Active(command.Account, state)))];
}
