using Annals.Deciders;

namespace Annals.Cli.Demo;

/// <summary>Decides the commands of one open account from its state, and folds its events into that state.</summary>
internal sealed class AccountDecider : IDecider<IAccountCommand, AccountState, IAccountEvent>
{
    public static AccountDecider Instance { get; } = new();

    public AccountState InitialState => AccountState.Unopened;

    public IEnumerable<IAccountEvent> Decide(IAccountCommand command, AccountState state)
    {
        if (!state.IsOpen)
        {
            throw new AccountRejectedException(command.Account, "the account is not open");
        }

        return command switch
        {
            Deposit c => [new Deposited(c.Account, Positive(c.Account, c.Amount), c.Reference)],
            Withdraw c => [new Withdrawn(c.Account, Covered(c.Account, c.Amount, state), c.Reference)],
            SendTransfer c => [new TransferSent(c.Account, c.Transfer, c.To, Covered(c.Account, c.Amount, state))],
            ReceiveTransfer c => [new TransferReceived(c.Account, c.Transfer, c.From, Positive(c.Account, c.Amount))],
            _ => throw new ArgumentException($"{command.GetType().Name} is not a command this decider knows.", nameof(command)),
        };
    }

    public AccountState Evolve(AccountState state, IAccountEvent @event) => @event switch
    {
        AccountOpened e => new AccountState(e.Owner, 0),
        _ => state with { Balance = state.Balance + BalanceChange(@event) },
    };

    /// <summary>How an event changes its account's balance; shared with the read model so both count alike.</summary>
    public static long BalanceChange(IAccountEvent @event) => @event switch
    {
        Deposited e => e.Amount,
        TransferReceived e => e.Amount,
        Withdrawn e => -e.Amount,
        TransferSent e => -e.Amount,
        _ => 0,
    };

    private static long Positive(string account, long amount) =>
        amount > 0 ? amount : throw new AccountRejectedException(account, $"an amount must be positive, not {amount}");

    private static long Covered(string account, long amount, AccountState state) =>
        Positive(account, amount) <= state.Balance
            ? amount
            : throw new AccountRejectedException(account, $"insufficient funds, the balance is {state.Balance} {Bank.Currency} and {amount} {Bank.Currency} were asked");
}
