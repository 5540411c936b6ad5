namespace Annals.TestWorker.Entities;

/// <summary>A command to a counter: add an amount; zero changes nothing and only reads the counter.</summary>
/// <param name="Amount">What to add.</param>
public sealed record Add(int Amount);
