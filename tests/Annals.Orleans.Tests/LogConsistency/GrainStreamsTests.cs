using Annals.Orleans.LogConsistency;
using Annals.Storage;
using Xunit;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>Every grain key maps to a valid stream id of its own, the same every time.</summary>
public sealed class GrainStreamsTests
{
    [Theory]
    [InlineData("42", "42")]
    [InlineData("a.b", "a~2Eb")]
    [InlineData("new york", "new~20york")]
    [InlineData("Zürich", "Zürich")]
    [InlineData("~", "~7E")]
    [InlineData("a*b>c", "a~2Ab~3Ec")]
    [InlineData("", "~")]
    [InlineData("tab\there", "tab~09here")]
    [InlineData("zero\u200Bwidth", "zero~E2~80~8Bwidth")]
    [InlineData("guid+ext", "guid+ext")]
    public void A_key_keeps_what_a_stream_id_allows_and_escapes_the_rest(string key, string id)
    {
        Assert.Equal(id, AnnalsGrainStreams.IdOf(IdSpan.Create(key)));
        Assert.Equal(id, StreamName.For("ledger", id).Id);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_escaped()
    {
        Assert.Equal("a~FFb~C3", AnnalsGrainStreams.IdOf(new IdSpan([(byte)'a', 0xFF, (byte)'b', 0xC3])));
    }

    [Fact]
    public void A_long_key_is_cut_and_ends_with_its_hash_so_keys_sharing_a_start_stay_apart()
    {
        var key = new string('k', 300);
        var id = AnnalsGrainStreams.IdOf(IdSpan.Create(key));
        var other = AnnalsGrainStreams.IdOf(IdSpan.Create(key + "!"));

        Assert.Equal(200, id.Length);
        Assert.StartsWith(new string('k', 134) + "~h", id, StringComparison.Ordinal);
        Assert.NotEqual(id, other);
        Assert.Equal(id, AnnalsGrainStreams.IdOf(IdSpan.Create(key)));
        _ = StreamName.For("ledger", id);

        // Escapes are never cut in half.
        var dotted = AnnalsGrainStreams.IdOf(IdSpan.Create(new string('.', 100)));
        Assert.Matches("^(~2E)+~h[0-9A-F]{64}$", dotted);
    }

    [Fact]
    public void Different_keys_make_different_ids()
    {
        string[] keys = ["a.b", "a~2Eb", "a_b", "a b", "a~20b", "", "~", "~h", "A.B", "a..b", "a.", ".a"];
        var ids = keys.Select(k => AnnalsGrainStreams.IdOf(IdSpan.Create(k))).ToList();
        Assert.Equal(keys.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_grain_type_that_is_no_valid_category_is_made_one_with_its_hash()
    {
        Assert.Equal("ledger", AnnalsGrainStreams.CategoryOf(GrainType.Create("ledger")));

        var generic = AnnalsGrainStreams.CategoryOf(GrainType.Create("cache`1[[System.Int32]]"));
        Assert.Matches("^cache_1__System_Int32__-[0-9A-F]{8}$", generic);
        Assert.NotEqual(generic, AnnalsGrainStreams.CategoryOf(GrainType.Create("cache`1[[System.Int64]]")));

        var category = AnnalsGrainStreams.CategoryOf(GrainType.Create(new string('x', 100)));
        Assert.True(category.Length <= StreamName.MaxCategoryLength);
        _ = StreamName.For(category, "1");
    }

    [Fact]
    public void The_attribute_names_the_category_and_the_grain_type_does_otherwise()
    {
        var id = GrainId.Create("ledger", "a.b");
        Assert.Equal("ledger.a~2Eb", AnnalsGrainStreams.For(id, typeof(LedgerGrain)).Value);
        Assert.Equal("tally.7", AnnalsGrainStreams.For(GrainId.Create("tally", "7"), typeof(TallyGrain)).Value);
    }
}
