using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.Serialization;

public sealed class EventIdsTests
{
    private static readonly StreamName Alice = StreamName.Parse("account.alice");

    [Fact]
    public void The_derivation_never_changes()
    {
        // Worked out apart from the library: SHA-256 of UTF-8 "account.alice\0<message id>\0<index>", first 16 bytes,
        // version 8, variant 10. The last is longer than the stack buffer.
        Assert.Equal(Guid.Parse("4740f964-74bc-8303-97fc-b6e851d127e8"), EventIds.Derive(Alice, "cmd-001", 0));
        Assert.Equal(Guid.Parse("66b16c37-f16e-8aff-b83f-b87f7068a505"), EventIds.Derive(Alice, "cmd-001", 1));
        Assert.Equal(Guid.Parse("20267cd6-3b22-844d-946a-57469aec2b58"), EventIds.Derive(Alice, "\u00fc\u20ac", 0));
        Assert.Equal(Guid.Parse("64b628a5-3bf6-8ffe-a910-27007453e979"), EventIds.Derive(Alice, new string('x', 1000), 2));
    }

    [Fact]
    public void The_same_inputs_give_the_same_id()
    {
        Assert.Equal(EventIds.Derive(Alice, "cmd-001", 3), EventIds.Derive(StreamName.For("account", "alice"), new string("cmd-001".ToCharArray()), 3));
    }

    [Fact]
    public void Any_input_that_differs_gives_another_id()
    {
        var ids = new[]
        {
            EventIds.Derive(Alice, "cmd-001", 0),
            EventIds.Derive(StreamName.Parse("account.bob"), "cmd-001", 0),
            EventIds.Derive(StreamName.Parse("Account.alice"), "cmd-001", 0),
            EventIds.Derive(Alice, "cmd-002", 0),
            EventIds.Derive(Alice, "CMD-001", 0),
            EventIds.Derive(Alice, "cmd-001", 1),
            EventIds.Derive(Alice, string.Empty, 0),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Parts_that_join_to_the_same_text_give_different_ids()
    {
        Assert.NotEqual(EventIds.Derive(Alice, "cmd-1", 23), EventIds.Derive(Alice, "cmd-12", 3));
        Assert.NotEqual(EventIds.Derive(StreamName.Parse("a.bc"), "d", 0), EventIds.Derive(StreamName.Parse("a.b"), "cd", 0));
    }

    [Fact]
    public void Ids_are_version_8_uuids_of_the_rfc_variant()
    {
        for (var i = 0; i < 100; i++)
        {
            var id = EventIds.Derive(Alice, $"cmd-{i}", i);
            Assert.Equal(8, id.Version);
            Assert.Equal(0b10, id.Variant >> 2);
            Assert.Equal('8', id.ToString()[14]);
        }
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => EventIds.Derive(Alice, null!, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventIds.Derive(Alice, "cmd-001", -1));
        Assert.Throws<ArgumentException>(() => EventIds.Derive(default, "cmd-001", 0));
        Assert.ThrowsAny<ArgumentException>(() => EventIds.Derive(Alice, "cmd-\ud800", 0));
    }
}
