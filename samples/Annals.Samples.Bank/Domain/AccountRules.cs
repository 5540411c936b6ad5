namespace Annals.Samples.Bank.Domain;

/// <summary>The checks shared by the account entity and the transfer decider.</summary>
internal static class AccountRules
{
    public static long Positive(string account, long amount) =>
        amount > 0 ? amount : throw new InvalidCommandException(account, $"an amount must be positive, not {amount}");

    public static long Covered(string account, long amount, AccountState state) =>
        Positive(account, amount) <= state.Balance ? amount : throw new InsufficientFundsException(account, state.Balance, amount);

    public static AccountState Opened(string account, AccountState state) =>
        state.IsOpen ? state : throw new AccountNotFoundException(account);

    /// <summary>Opened and not closed: what every deposit, withdrawal, transfer and credit needs.</summary>
    public static AccountState Active(string account, AccountState state) =>
        Opened(account, state).Closed ? throw new AccountClosedException(account) : state;

    public static long BalanceChange(IAccountEvent @event) => @event switch
    {
        MoneyDeposited e => e.Amount,
        TransferReceived e => e.Amount,
        TransferRefunded e => e.Amount,
        MoneyWithdrawn e => -e.Amount,
        TransferSent e => -e.Amount,
        _ => 0,
    };

    public static AccountState Evolve(AccountState state, IAccountEvent @event) => @event switch
    {
        AccountOpened e => new AccountState(e.Owner, 0),
        AccountClosed => state with { Closed = true },
        _ => state with { Balance = state.Balance + BalanceChange(@event) },
    };
}
