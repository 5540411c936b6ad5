using Annals.Storage;
using Xunit;

namespace Annals.Tests.Core;

public sealed class EventFilterTests
{
    [Theory]
    [InlineData("account", "account.1", "Deposited", true)]
    [InlineData("account", "order.1", "Deposited", false)]
    [InlineData("account.1", "account.1", "Opened", true)]
    [InlineData("account.1", "account.10", "Opened", false)]
    [InlineData("account.1.Opened", "account.1", "Opened", true)]
    [InlineData("account.1.Opened", "account.1", "Closed", false)]
    [InlineData("*.*.Deposited", "order.7", "Deposited", true)]
    [InlineData("*.*.Deposited", "order.7", "Deposited2", false)]
    [InlineData("account.*.Deposited", "account.7", "Deposited", true)]
    [InlineData("account.*.Deposited", "accounts.7", "Deposited", false)]
    [InlineData("*.7", "order.7", "Any", true)]
    [InlineData("*.7", "order.70", "Any", false)]
    [InlineData("account.>", "account.7", "Any", true)]
    [InlineData("account.7.>", "account.7", "Any", true)]
    [InlineData(">", "x.y", "Z", true)]
    [InlineData("*", "x.y", "Z", true)]
    public void Subject_patterns_match_by_token(string pattern, string stream, string type, bool expected)
    {
        var filter = EventFilter.Parse(pattern);

        Assert.Equal(expected, filter.Matches(StreamName.Parse(stream), type));
    }

    [Fact]
    public void Exact_parts_are_kept_in_sets_for_backends_to_translate()
    {
        var filter = EventFilter.Parse("account, order.7, *.*.Shipped, account.*.Closed");

        Assert.Equal(["account"], filter.Categories);
        Assert.Equal(["order.7"], filter.Streams);
        Assert.Equal(["Shipped"], filter.Types);
        Assert.Equal([new SubjectPattern("account", null, "Closed")], filter.Patterns);
        Assert.False(filter.MatchesAll);
        Assert.Equal("account,order.7,*.*.Shipped,account.*.Closed", filter.ToString());
    }

    [Fact]
    public void A_wildcard_pattern_anywhere_in_a_list_matches_everything()
    {
        Assert.True(EventFilter.Parse("account, >").MatchesAll);
        Assert.True(EventFilter.ForTypes("A").Or(EventFilter.All).MatchesAll);
    }

    [Fact]
    public void Or_combines_sets_and_patterns()
    {
        var filter = EventFilter.ForStreams(StreamName.Parse("a.1")).Or(EventFilter.ForTypes("T")).Or(EventFilter.Parse("b.*.U"));

        Assert.True(filter.Matches(StreamName.Parse("a.1"), "X"));
        Assert.True(filter.Matches(StreamName.Parse("c.9"), "T"));
        Assert.True(filter.Matches(StreamName.Parse("b.9"), "U"));
        Assert.False(filter.Matches(StreamName.Parse("b.9"), "X"));
        Assert.Equal(filter.ToString(), EventFilter.Parse(filter.ToString()).ToString());
    }

    [Theory]
    [InlineData("", "the pattern is empty")]
    [InlineData("a.b.c.d", "a subject has at most 3 tokens (category.id.type) and this pattern has 4")]
    [InlineData("a.>.c", "'>' may only be the last token")]
    [InlineData("a*", "token 1 'a*' is invalid: the category contains '*'; only letters, digits, '_' and '-' are allowed")]
    [InlineData("a..c", "token 2 '' is invalid: the id is empty")]
    public void Malformed_patterns_are_rejected_with_the_reason(string pattern, string reason)
    {
        var error = Assert.Throws<InvalidFilterException>(() => EventFilter.Parse(pattern));

        Assert.Equal(reason, error.Reason);
        Assert.Equal($"Invalid filter '{pattern}': {reason}.", error.Message);
    }
}
