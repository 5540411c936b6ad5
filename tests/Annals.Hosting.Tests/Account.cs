using Annals.Deciders;
using Annals.Serialization;

namespace Annals.Hosting.Tests;

[EventType("hosting-deposited")]
public sealed record Deposited(decimal Amount);

public sealed record Deposit(decimal Amount);

/// <summary>A tiny account for the entity engine: deposits add up.</summary>
public static class Account
{
    public static IDecider<Deposit, decimal, Deposited> Decider { get; } = Deciders.Decider.Create<Deposit, decimal, Deposited>(
        0m,
        (command, _) => [new Deposited(command.Amount)],
        (balance, deposited) => balance + deposited.Amount);
}
