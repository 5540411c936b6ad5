using Annals.Orleans.LogConsistency;
using Orleans.EventSourcing;
using Orleans.Providers;

namespace Annals.Orleans.Tests.LogConsistency;

[GenerateSerializer]
public abstract record LedgerEvent;

[GenerateSerializer]
public sealed record Deposited([property: Id(0)] decimal Amount) : LedgerEvent;

[GenerateSerializer]
public sealed record Withdrawn([property: Id(0)] decimal Amount) : LedgerEvent;

/// <summary>A ledger's state: serializable by Orleans (for its copies) and by the codec (for snapshots).</summary>
[GenerateSerializer]
public sealed class LedgerState
{
    [Id(0)]
    public decimal Balance { get; set; }

    [Id(1)]
    public int Entries { get; set; }
}

[GenerateSerializer]
public sealed record LedgerView([property: Id(0)] decimal Balance, [property: Id(1)] int Entries, [property: Id(2)] int Version);

public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>Raises one deposit and waits until it is stored; returns the version after it.</summary>
    Task<int> Deposit(decimal amount);

    /// <summary>Raises deposits as one atomic sequence and waits until they are stored.</summary>
    Task<int> DepositAll(decimal[] amounts);

    /// <summary>Withdraws if no other event came first (a conditional event).</summary>
    Task<bool> TryWithdraw(decimal amount);

    Task<LedgerView> Read();

    /// <summary>The confirmed events of versions [from, to) as signed amounts.</summary>
    Task<decimal[]> Amounts(int fromVersion, int toVersion);

    /// <summary>The connection issues the grain was told of.</summary>
    Task<string[]> Issues();
}

[AnnalsStream("ledger")]
[LogConsistencyProvider(ProviderName = "annals")]
public sealed class LedgerGrain : JournaledGrain<LedgerState, LedgerEvent>, ILedgerGrain
{
    private readonly List<string> _issues = [];

    public async Task<int> Deposit(decimal amount)
    {
        RaiseEvent(new Deposited(amount));
        await ConfirmEvents();
        return Version;
    }

    public async Task<int> DepositAll(decimal[] amounts)
    {
        RaiseEvents(amounts.Select(a => new Deposited(a)));
        await ConfirmEvents();
        return Version;
    }

    public async Task<bool> TryWithdraw(decimal amount)
    {
        if (State.Balance < amount)
        {
            return false;
        }

        return await RaiseConditionalEvent(new Withdrawn(amount));
    }

    public Task<LedgerView> Read() => Task.FromResult(new LedgerView(State.Balance, State.Entries, Version));

    public async Task<decimal[]> Amounts(int fromVersion, int toVersion) =>
        [.. (await RetrieveConfirmedEvents(fromVersion, toVersion)).Select(e => e switch
        {
            Deposited d => d.Amount,
            Withdrawn w => -w.Amount,
            _ => throw new InvalidOperationException($"Unexpected event {e}."),
        })];

    public Task<string[]> Issues() => Task.FromResult(_issues.ToArray());

    protected override void TransitionState(LedgerState state, LedgerEvent @event)
    {
        switch (@event)
        {
            case Deposited d:
                state.Balance += d.Amount;
                break;
            case Withdrawn w:
                state.Balance -= w.Amount;
                break;
        }

        state.Entries++;
    }

    protected override void OnConnectionIssue(ConnectionIssue issue) => _issues.Add(issue.GetType().Name);
}
