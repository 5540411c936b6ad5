namespace Annals.Bench.Accounts;

/// <summary>Moves money: a deposit when <paramref name="Amount"/> is positive, a withdrawal when negative; zero only reads the balance.</summary>
/// <param name="Account">The account's number, copied into the event.</param>
/// <param name="Amount">The amount.</param>
/// <param name="Reference">The caller's reference, copied into the event.</param>
internal sealed record AccountCommand(string Account, decimal Amount, string Reference);
