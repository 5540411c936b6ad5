using Annals.Storage;
using Xunit;

namespace Annals.Tests.Core;

public sealed class ExpectedRevisionTests
{
    [Theory]
    [InlineData(null, true, true, false, false)]
    [InlineData(0L, true, false, true, true)]
    [InlineData(5L, true, false, true, false)]
    public void Each_kind_holds_for_the_right_stream_states(long? current, bool any, bool noStream, bool exists, bool exactZero)
    {
        Assert.Equal(any, ExpectedRevision.Any.IsSatisfiedBy(current));
        Assert.Equal(noStream, ExpectedRevision.NoStream.IsSatisfiedBy(current));
        Assert.Equal(exists, ExpectedRevision.StreamExists.IsSatisfiedBy(current));
        Assert.Equal(exactZero, ExpectedRevision.Exact(0).IsSatisfiedBy(current));
    }

    [Fact]
    public void Exact_rejects_a_negative_revision()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedRevision.Exact(-1));
    }

    [Fact]
    public void From_maps_a_read_revision_to_the_matching_expectation()
    {
        Assert.Equal(ExpectedRevision.NoStream, ExpectedRevision.From(null));
        Assert.Equal(ExpectedRevision.Exact(3), ExpectedRevision.From(3));
        Assert.Equal(3, ExpectedRevision.Exact(3).Revision);
        Assert.Null(ExpectedRevision.Any.Revision);
        Assert.Equal("no stream", ExpectedRevision.NoStream.ToString());
    }
}
