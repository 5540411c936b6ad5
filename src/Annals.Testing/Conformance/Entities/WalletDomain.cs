using Annals.Deciders;
using Annals.Entities;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Testing.Conformance.Entities;

/// <summary>A command to a wallet entity.</summary>
internal abstract record WalletCommand;

/// <summary>Adds money; a negative amount is rejected.</summary>
internal sealed record Add(int Amount) : WalletCommand;

/// <summary>Blocks the wallet's mailbox until the gate opens, then adds nothing.</summary>
internal sealed record Hold(SemaphoreSlim Gate) : WalletCommand;

/// <summary>Says it is being decided, blocks the wallet's mailbox until the gate opens, then adds money.</summary>
internal sealed record AddWhenOpened(SemaphoreSlim Deciding, SemaphoreSlim Gate, int Amount) : WalletCommand;

/// <summary>Takes money out; more than the balance is rejected.</summary>
internal sealed record Take(int Amount) : WalletCommand;

/// <summary>Money was added.</summary>
internal sealed record Added(int Amount);

/// <summary>Money was taken out.</summary>
internal sealed record Taken(int Amount);

/// <summary>An event whose folding always fails.</summary>
internal sealed record Poisoned(int Amount);

/// <summary>Adds an event that cannot be folded.</summary>
internal sealed record Poison : WalletCommand;

/// <summary>The wallet's balance and how many additions made it.</summary>
internal sealed record Wallet(int Balance, int Additions);

/// <summary>The wallet's rejection.</summary>
internal sealed class WalletRejectedException(string message) : Exception(message);

/// <summary>An event-sourced wallet.</summary>
internal sealed class WalletBehavior : IDecider<WalletCommand, Wallet, object>
{
    public Wallet InitialState { get; } = new(0, 0);

    public IEnumerable<object> Decide(WalletCommand command, Wallet state)
    {
        switch (command)
        {
            case Add { Amount: < 0 } add:
                throw new WalletRejectedException($"Cannot add {add.Amount}.");
            case Add add:
                return add.Amount == 0 ? [] : [new Added(add.Amount)];
            case Hold hold:
                hold.Gate.Wait();
                return [];
            case AddWhenOpened add:
                add.Deciding.Release();
                add.Gate.Wait();
                return [new Added(add.Amount)];
            case Take take when take.Amount > state.Balance:
                throw new WalletRejectedException($"Cannot take {take.Amount} of {state.Balance}.");
            case Take take:
                return [new Taken(take.Amount)];
            case Poison:
                return [new Added(1), new Poisoned(1)];
            default:
                throw new ArgumentOutOfRangeException(nameof(command));
        }
    }

    public Wallet Evolve(Wallet state, object @event) => @event switch
    {
        Added added => new Wallet(state.Balance + added.Amount, state.Additions + 1),
        Taken taken => state with { Balance = state.Balance - taken.Amount },
        Poisoned => throw new InvalidOperationException("This event cannot be folded."),
        _ => state,
    };
}

/// <summary>A command to a durable-state counter: set it to a version of the behaviour's choosing.</summary>
internal sealed record Bump(int By, long? ForceVersion = null);

/// <summary>A durable-state counter.</summary>
internal sealed record Tally(int Total);

/// <summary>A durable-state counter entity.</summary>
internal sealed class TallyBehavior : IDurableStateBehavior<Bump, Tally>
{
    public Tally InitialState { get; } = new(0);

    public (Tally State, long Version) HandleCommand(Bump command, long version, Tally state) =>
        command.By < 0 ? throw new WalletRejectedException("Cannot bump down.")
        : command.By == 0 ? (state, version)
        : (new Tally(state.Total + command.By), command.ForceVersion ?? version + 1);
}

/// <summary>The entity suite's types and engines.</summary>
internal static class EntityTypes
{
    public static EventCodec Codec(int walletVersion = 1) => new(new TypeRegistry()
        .Register<Added>("wallet-added")
        .Register<Taken>("wallet-taken")
        .Register<Poisoned>("wallet-poisoned")
        .Register<Wallet>("wallet-state", walletVersion)
        .Register<Tally>("tally-state"));

    public static EntityEngine Engine(IEventStore store, EntityOptions? wallets = null, EngineOptions? options = null, EventCodec? codec = null, System.Diagnostics.Metrics.IMeterFactory? meters = null, TimeProvider? clock = null) =>
        new EntityEngine(store, codec ?? Codec(), options, timeProvider: clock, meterFactory: meters)
            .Register("wallet", new WalletBehavior(), wallets)
            .RegisterDurableState("tally", new TallyBehavior());
}
