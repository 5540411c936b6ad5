using Annals.Storage.Providers;
using Xunit;

namespace Annals.Tests.Core;

public sealed class BackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Fact]
    public void The_ceiling_doubles_from_the_first_delay_up_to_the_maximum()
    {
        Assert.Equal([100, 200, 400, 800, 1600, 3200, 5000, 5000], Enumerable.Range(1, 8).Select(r => Backoff.Ceiling(First, Max, r).TotalMilliseconds));
        Assert.Equal(Max, Backoff.Ceiling(First, Max, int.MaxValue));
        Assert.Equal(First, Backoff.Ceiling(First, Max, 0));
        Assert.Equal(TimeSpan.Zero, Backoff.Ceiling(TimeSpan.Zero, TimeSpan.Zero, 1000));
    }

    [Fact]
    public void Full_jitter_lies_between_zero_and_the_ceiling_and_equal_jitter_in_its_upper_half()
    {
        var random = new Random(7);
        for (var retry = 1; retry <= 10; retry++)
        {
            var ceiling = Backoff.Ceiling(First, Max, retry);
            var full = Enumerable.Range(0, 200).Select(_ => Backoff.FullJitter(First, Max, retry, random)).ToList();
            var equal = Enumerable.Range(0, 200).Select(_ => Backoff.EqualJitter(First, Max, retry, random)).ToList();
            Assert.All(full, d => Assert.InRange(d, TimeSpan.Zero, ceiling));
            Assert.All(equal, d => Assert.InRange(d, ceiling / 2, ceiling));
            Assert.Contains(full, d => d < ceiling / 2);
        }
    }
}
