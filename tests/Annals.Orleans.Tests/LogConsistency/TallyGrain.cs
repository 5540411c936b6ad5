using Orleans.EventSourcing;
using Orleans.Providers;

namespace Annals.Orleans.Tests.LogConsistency;

[GenerateSerializer]
public sealed record Counted([property: Id(0)] int By);

[GenerateSerializer]
public sealed class TallyState
{
    [Id(0)]
    public int Total { get; set; }

    public void Apply(Counted e) => Total += e.By;
}

public interface ITallyGrain : IGrainWithIntegerKey
{
    Task<int> Count(int by);
}

/// <summary>A journaled grain naming no stream category: its streams take the grain type's, "tally".</summary>
[LogConsistencyProvider(ProviderName = "annals")]
public sealed class TallyGrain : JournaledGrain<TallyState>, ITallyGrain
{
    public async Task<int> Count(int by)
    {
        RaiseEvent(new Counted(by));
        await ConfirmEvents();
        return State.Total;
    }
}
