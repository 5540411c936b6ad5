using Annals.Storage.Providers;
using Xunit;

namespace Annals.Tests.Core;

public sealed class PulseTests
{
    [Fact]
    public async Task Fire_wakes_those_waiting_and_not_those_who_come_after()
    {
        var pulse = new Pulse();
        var before = pulse.Next;
        Assert.False(before.IsCompleted);

        pulse.Fire();

        await before.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(pulse.Next.IsCompleted);
        Assert.NotSame(before, pulse.Next);
    }

    [Fact]
    public async Task Close_wakes_those_waiting_and_every_later_caller()
    {
        var pulse = new Pulse();
        var before = pulse.Next;

        pulse.Close();
        pulse.Fire();

        Assert.True(pulse.IsClosed);
        await before.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(pulse.Next.IsCompleted);
    }

    [Fact]
    public async Task A_task_taken_before_a_fire_of_many_concurrent_ones_is_always_woken()
    {
        const int Total = 40_000;
        var pulse = new Pulse();
        var counted = 0;
        var firing = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < Total / 4; i++)
            {
                Interlocked.Increment(ref counted);
                pulse.Fire();
            }
        })).ToArray();

        while (true)
        {
            var next = pulse.Next;

            // A count below the total means an increment, and the fire after it, are still to come.
            if (Volatile.Read(ref counted) == Total)
            {
                break;
            }

            // A lost wake-up leaves this waiting for a fire that never comes.
            await next.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await Task.WhenAll(firing);
    }
}
