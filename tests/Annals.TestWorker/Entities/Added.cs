namespace Annals.TestWorker.Entities;

/// <summary>An amount was added to a counter.</summary>
/// <param name="Amount">What was added.</param>
public sealed record Added(int Amount);
