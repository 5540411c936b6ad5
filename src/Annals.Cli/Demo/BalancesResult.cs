namespace Annals.Cli.Demo;

/// <summary>What the demo's read model holds after catching up.</summary>
/// <param name="Balances">Each account's balance, by stream name.</param>
/// <param name="Position">The position it is up to date with, saved as its checkpoint.</param>
/// <param name="Events">The number of events folded.</param>
internal sealed record BalancesResult(IReadOnlyDictionary<string, long> Balances, long Position, int Events);
