using Annals.Storage;
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

    [Theory]
    [InlineData("a\u200Bb", "the id contains '\\u200B'; '.', '*', '>', whitespace, control and format characters are not allowed")]
    [InlineData("a\u202Eb", "the id contains '\\u202E'; '.', '*', '>', whitespace, control and format characters are not allowed")]
    [InlineData("\uFEFFa", "the id contains '\\uFEFF'; '.', '*', '>', whitespace, control and format characters are not allowed")]
    [InlineData("a\U000E0041", "the id contains '\\U000E0041'; '.', '*', '>', whitespace, control and format characters are not allowed")]
    [InlineData("a\u0085", "the id contains '\\u0085'; '.', '*', '>', whitespace, control and format characters are not allowed")]
    public void Ill_formed_invisible_and_direction_changing_ids_are_refused(string id, string reason)
    {
        var error = Assert.Throws<InvalidNameException>(() => StreamName.For("lone", id));

        Assert.Equal(reason, error.Reason);
        Assert.False(StreamName.TryParse("lone." + id, out _));
    }

    // Written here rather than as theory data: an unpaired surrogate does not survive the test runner's serialization.
    [Fact]
    public void Ids_with_unpaired_surrogates_are_refused()
    {
        (string Id, string Reason)[] cases =
        [
            ("a\uD800", "the id holds an unpaired surrogate \\uD800 at index 1; only well-formed UTF-16 text is allowed"),
            ("x\uDC01", "the id holds an unpaired surrogate \\uDC01 at index 1; only well-formed UTF-16 text is allowed"),
            ("\uDE00\uD83D", "the id holds an unpaired surrogate \\uDE00 at index 0; only well-formed UTF-16 text is allowed"),
            ("ok\uD83D", "the id holds an unpaired surrogate \\uD83D at index 2; only well-formed UTF-16 text is allowed"),
        ];
        foreach (var (id, reason) in cases)
        {
            Assert.Equal(reason, Assert.Throws<InvalidNameException>(() => StreamName.For("lone", id)).Reason);
            Assert.False(StreamName.TryParse("lone." + id, out _));
        }
    }

    [Fact]
    public void Canonically_equal_ids_stay_distinct_names()
    {
        var composed = StreamName.For("cafe", "caf\u00E9");
        var decomposed = StreamName.For("cafe", "cafe\u0301");

        Assert.NotEqual(composed, decomposed);
        Assert.Equal("cafe.\U0001F600", StreamName.For("cafe", "\U0001F600").Value);
    }
}
