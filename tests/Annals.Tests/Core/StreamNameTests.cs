using Xunit;

namespace Annals.Tests.Core;

public sealed class StreamNameTests
{
    [Fact]
    public void Parse_splits_category_and_id()
    {
        var name = StreamName.Parse("account-v2.42_a-b");

        Assert.Equal("account-v2", name.Category);
        Assert.Equal("42_a-b", name.Id);
        Assert.Equal("account-v2.42_a-b", name.Value);
        Assert.Equal(name, StreamName.For("account-v2", "42_a-b"));
    }

    [Fact]
    public void Id_may_hold_any_printable_character_but_the_reserved_ones()
    {
        var name = StreamName.Parse("order.é-ü:/@#{}");

        Assert.Equal("é-ü:/@#{}", name.Id);
    }

    [Fact]
    public void Parse_reports_the_reason_in_the_message()
    {
        var error = Assert.Throws<InvalidNameException>(() => StreamName.Parse("account.4 2"));

        Assert.Equal(NameKind.Stream, error.Kind);
        Assert.Equal("account.4 2", error.Name);
        Assert.Equal("Invalid stream name 'account.4 2': the id contains '\\u0020'; '.', '*', '>', whitespace, control and format characters are not allowed.", error.Message);
    }

    [Fact]
    public void Names_at_the_length_limits_are_accepted_and_one_more_is_not()
    {
        var category = new string('c', StreamName.MaxCategoryLength);
        var id = new string('i', StreamName.MaxIdLength);

        Assert.Equal(category, StreamName.For(category, id).Category);
        Assert.Throws<InvalidNameException>(() => StreamName.For(category + "c", id));
        Assert.Throws<InvalidNameException>(() => StreamName.For(category, id + "i"));
    }

    [Fact]
    public void TryParse_returns_false_instead_of_throwing()
    {
        Assert.False(StreamName.TryParse("nodot", out _));
        Assert.False(StreamName.TryParse(null, out _));
        Assert.True(StreamName.TryParse("a.b", out var name));
        Assert.Equal("a.b", name.ToString());
    }

    [Fact]
    public void Default_value_names_no_stream()
    {
        StreamName name = default;

        Assert.True(name.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => name.Value);
        Assert.Throws<ArgumentException>(() => new CommitBatch().Append(name, ExpectedRevision.Any, EventData.FromText("T", "{}")));
    }
}
