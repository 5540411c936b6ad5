using System.Runtime.CompilerServices;
using Annals.Leases;
using Annals.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Annals.Tests.InMemory;

/// <summary>Makes each lease test an in-memory manager on a clock of its own that the test moves.</summary>
public sealed class InMemoryLeaseFixture : ILeaseFixture
{
    private readonly ConditionalWeakTable<ILeaseManager, FakeTimeProvider> _clocks = [];

    public Task<ILeaseManager> CreateManagerAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var manager = new InMemoryLeaseManager(clock);
        _clocks.Add(manager, clock);
        return Task.FromResult<ILeaseManager>(manager);
    }

    public Task<DateTimeOffset> GetNowAsync(ILeaseManager manager) => Task.FromResult(_clocks.GetValue(manager, _ => throw new ArgumentException("Not made by this fixture.", nameof(manager))).GetUtcNow());

    public Task WaitUntilAsync(ILeaseManager manager, DateTimeOffset instant)
    {
        // Forward only, as real time goes: an instant already passed is reached.
        var clock = _clocks.GetValue(manager, _ => throw new ArgumentException("Not made by this fixture.", nameof(manager)));
        if (instant > clock.GetUtcNow())
        {
            clock.SetUtcNow(instant);
        }

        return Task.CompletedTask;
    }
}
