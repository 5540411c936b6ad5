namespace Annals.Bench.Accounts;

/// <summary>An account's state, folded from every event of its stream (or from a snapshot and the events after it).</summary>
/// <param name="Balance">The balance.</param>
/// <param name="Events">How many events were folded in.</param>
internal sealed record AccountState(decimal Balance, long Events)
{
    public static AccountState Empty { get; } = new(0m, 0);
}
