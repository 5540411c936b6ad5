namespace Annals.Cli.Demo;

/// <summary>An account's balance as read from its stream, and the position of the last event it folds.</summary>
/// <param name="Account">The account's stream.</param>
/// <param name="Balance">The balance.</param>
/// <param name="Position">The position the balance was read at: a later event of the account makes it stale.</param>
internal sealed record BalanceReading(StreamName Account, long Balance, long Position)
{
    public static async Task<BalanceReading> ReadAsync(IEventReader store, StreamName account, CancellationToken cancellationToken)
    {
        long balance = 0;
        long position = 0;
        await foreach (var e in store.ReadStreamAsync(account, cancellationToken: cancellationToken))
        {
            balance = AccountEvents.Apply(balance, e);
            position = e.Position;
        }

        return new BalanceReading(account, balance, position);
    }
}
