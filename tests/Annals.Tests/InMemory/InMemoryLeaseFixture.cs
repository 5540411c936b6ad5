using System.Runtime.CompilerServices;
using Annals.Leases;
using Annals.Testing;

namespace Annals.Tests.InMemory;

/// <summary>Makes each lease test an in-memory manager on a clock of its own that the test moves.</summary>
public sealed class InMemoryLeaseFixture : ILeaseFixture
{
    private readonly ConditionalWeakTable<ILeaseManager, ManualClock> _clocks = [];

    public Task<ILeaseManager> CreateManagerAsync()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var manager = new InMemoryLeaseManager(clock);
        _clocks.Add(manager, clock);
        return Task.FromResult<ILeaseManager>(manager);
    }

    public Task<DateTimeOffset> GetNowAsync(ILeaseManager manager) => Task.FromResult(_clocks.GetValue(manager, _ => throw new ArgumentException("Not made by this fixture.", nameof(manager))).GetUtcNow());

    public Task WaitUntilAsync(ILeaseManager manager, DateTimeOffset instant)
    {
        _clocks.GetValue(manager, _ => throw new ArgumentException("Not made by this fixture.", nameof(manager))).MoveTo(instant);
        return Task.CompletedTask;
    }
}
