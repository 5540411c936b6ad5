using System.Text;
using Annals.Storage;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a provider of named stores honours <see cref="IEventStoreProvider"/>: stores are created, found, listed in
/// order and deleted; a missing store is not opened without leave; malformed names are refused before anything is made;
/// an exclusive open keeps every other opener out, in this process and through a peer provider standing for another,
/// until it is disposed; an open store is never deleted; data outlives its open; and two stores share nothing.
/// A backend runs it with a one-line subclass:
/// <c>public sealed class Stores(MyFixture f) : StoreProviderConformance&lt;MyFixture&gt;(f);</c>
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class StoreProviderConformance<TFixture> : IClassFixture<TFixture>
    where TFixture : class, IStoreProviderFixture
{
    // How many generated texts the name test draws from, beside its fixed hostile names.
    private const int HostileTextCount = 600;

    private static readonly StoreOpenOptions Shared = new();
    private static readonly StoreOpenOptions Exclusive = new() { Exclusive = true };
    private static readonly StoreOpenOptions ExistingOnly = new() { CreateIfMissing = false };

    // Stores of every test class of a run may share one backend (a database, a folder): names start with a prefix of this instance.
    private readonly string _prefix = "s" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected StoreProviderConformance(TFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
    }

    /// <summary>The backend's fixture.</summary>
    protected TFixture Fixture { get; }

    /// <summary>How long a test waits for something that should happen (a subscription going live, ending) before it fails.</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(30);

    /// <summary>Creating a store makes it exist and be listed; creating it again changes nothing; deleting it removes it, once.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Create_exists_list_and_delete_round_trip()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var name = Name("orders");

        Assert.False(await stores.ExistsAsync(name));
        Assert.True(await stores.CreateAsync(name));
        Assert.False(await stores.CreateAsync(name));
        Assert.True(await stores.ExistsAsync(name));
        Assert.Contains(name, await ListAsync(stores));

        Assert.True(await stores.DeleteAsync(name));
        Assert.False(await stores.ExistsAsync(name));
        Assert.DoesNotContain(name, await ListAsync(stores));
        Assert.False(await stores.DeleteAsync(name));
    }

    /// <summary>The list is in ordinal order, without repeats, whatever order the stores were made in.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task List_is_in_ordinal_order()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        string[] made = [Name("c"), Name("a"), Name("b_2"), Name("b_10"), Name("b")];
        foreach (var name in made)
        {
            Assert.True(await stores.CreateAsync(name));
        }

        var listed = await ListAsync(stores);

        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(listed.Distinct(StringComparer.Ordinal), listed);
        Assert.Equal(made.Order(StringComparer.Ordinal), listed.Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)));
    }

    /// <summary>Opening a missing store without leave to create it fails with StoreNotFoundException and makes nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Opening_a_missing_store_without_create_throws_StoreNotFoundException_and_makes_nothing()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var name = Name("missing");

        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.OpenAsync(name, ExistingOnly));
        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.OpenAsync(name, new StoreOpenOptions { CreateIfMissing = false, Exclusive = true }));

        Assert.False(await stores.ExistsAsync(name));
        Assert.DoesNotContain(name, await ListAsync(stores));
    }

    /// <summary>Opening a missing store creates it by default, and it can then be opened without leave to create.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Opening_a_missing_store_creates_it_by_default()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var name = Name("made_on_open");

        await (await stores.OpenAsync(name)).DisposeAsync();

        Assert.True(await stores.ExistsAsync(name));
        Assert.False(await stores.CreateAsync(name));
        await (await stores.OpenAsync(name, ExistingOnly)).DisposeAsync();
    }

    /// <summary>Names at the edges of the rule are stores: one letter, 63 characters, digits and underscores.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Names_at_the_edges_of_the_rule_are_accepted()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var longest = (_prefix + "_" + new string('x', 63))[..63];
        string[] names = [longest, _prefix + "_0_9", _prefix + "__"];

        foreach (var name in names)
        {
            Assert.True(await stores.CreateAsync(name), name);
            Assert.True(await stores.ExistsAsync(name), name);
        }

        Assert.Superset(names.ToHashSet(), (await ListAsync(stores)).ToHashSet());
        foreach (var name in names)
        {
            Assert.True(await stores.DeleteAsync(name), name);
        }
    }

    /// <summary>
    /// Hostile names (empty, too long, upper case, dots, slashes, <c>..</c>, spaces, quotes, semicolons, NUL, unicode,
    /// unpaired surrogates, reserved names) are refused by every operation with InvalidNameException of kind Store,
    /// and nothing is made.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Hostile_names_are_refused_by_every_operation_and_nothing_is_made()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var before = await ListAsync(stores);
        var names = HostileNames().ToList();
        Assert.True(names.Count > 100, $"Only {names.Count} hostile names were made.");

        foreach (var name in names)
        {
            var shown = Show(name);
            Assert.False(IsValidStoreName(name), $"The oracle takes {shown} for a valid name.");
            await AssertRefusedAsync(name, shown, async () => await stores.ExistsAsync(name));
            await AssertRefusedAsync(name, shown, async () => await stores.CreateAsync(name));
            await AssertRefusedAsync(name, shown, async () => await stores.OpenAsync(name));
            await AssertRefusedAsync(name, shown, async () => await stores.OpenAsync(name, Exclusive));
            await AssertRefusedAsync(name, shown, async () => await stores.DeleteAsync(name));
        }

        // Other suites' stores may come and go meanwhile on a shared backend: only a name of these may not appear.
        var after = await ListAsync(stores);
        var hostile = names.ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(after.Except(before), hostile.Contains);
        Assert.All(after, n => Assert.True(IsValidStoreName(n), $"The list holds {Show(n)}, which is no store name."));
    }

    /// <summary>A null name is an argument error, not a name error.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_null_name_throws_ArgumentNullException()
    {
        await using var stores = await Fixture.CreateProviderAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await stores.ExistsAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await stores.CreateAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await stores.OpenAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await stores.DeleteAsync(null!));
    }

    /// <summary>An exclusive open refuses a second exclusive open, through the same provider and through a peer.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Exclusive_open_refuses_another_exclusive_open()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("exclusive");
        await using var holder = await stores.OpenAsync(name, Exclusive);

        await AssertLockedAsync(stores, name, Exclusive);
        await AssertLockedAsync(peer, name, Exclusive);
        await AssertStillWritesAsync(holder);
    }

    /// <summary>An exclusive open refuses a shared open, through the same provider and through a peer.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Exclusive_open_refuses_a_shared_open()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("exclusive");
        await using var holder = await stores.OpenAsync(name, Exclusive);

        await AssertLockedAsync(stores, name, Shared);
        await AssertLockedAsync(peer, name, Shared);
        await AssertLockedAsync(peer, name, ExistingOnly);
        await AssertStillWritesAsync(holder);
    }

    /// <summary>A shared open makes an exclusive open fail, through the same provider and through a peer.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Shared_open_refuses_an_exclusive_open()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("shared");
        await using var holder = await stores.OpenAsync(name, Shared);

        await AssertLockedAsync(stores, name, Exclusive);
        await AssertLockedAsync(peer, name, Exclusive);
        await AssertStillWritesAsync(holder);
    }

    /// <summary>Shared opens hold a store together, and each sees what the other writes; a backend that holds every open exclusively refuses the second.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Shared_opens_coexist_unless_the_backend_holds_every_open_exclusively()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("shared");
        await using var first = await stores.OpenAsync(name, Shared);

        if (!Fixture.SharedOpensCoexist)
        {
            await AssertLockedAsync(stores, name, Shared);
            await AssertLockedAsync(peer, name, Shared);
            return;
        }

        await using var second = await peer.OpenAsync(name, Shared);
        await first.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, NewEvents(2));
        await second.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.Exact(1), NewEvents(1));

        Assert.Equal(3, await first.GetHeadPositionAsync());
        Assert.Equal(3, await second.GetHeadPositionAsync());
    }

    /// <summary>Disposing an exclusive open releases the store: it opens again, exclusively or not, through either provider.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Disposing_an_open_releases_the_store()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("released");

        await (await stores.OpenAsync(name, Exclusive)).DisposeAsync();
        await (await peer.OpenAsync(name, Exclusive)).DisposeAsync();
        await (await stores.OpenAsync(name, Shared)).DisposeAsync();
        await (await peer.OpenAsync(name, Exclusive)).DisposeAsync();
        await (await stores.OpenAsync(name, Exclusive)).DisposeAsync();
        Assert.True(await stores.DeleteAsync(name));
    }

    /// <summary>A refused open leaves the store as its holder had it, and takes nothing: once the holder is gone, the store opens.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_refused_open_takes_nothing()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("refused");
        var holder = await stores.OpenAsync(name, Exclusive);
        for (var i = 0; i < 3; i++)
        {
            await AssertLockedAsync(peer, name, Exclusive);
            await AssertLockedAsync(stores, name, Shared);
        }

        await holder.DisposeAsync();

        await using var next = await peer.OpenAsync(name, Exclusive);
        await AssertStillWritesAsync(next);
    }

    /// <summary>Deleting an open store fails with StoreLockedException, whoever has it open and however; nothing is deleted.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Deleting_an_open_store_throws_StoreLockedException_and_keeps_its_data()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("kept");
        var stream = StreamName.For("order", "1");
        var written = 0;
        foreach (var options in new[] { Shared, Exclusive })
        {
            await using (var holder = await stores.OpenAsync(name, options))
            {
                await holder.AppendAsync(stream, ExpectedRevision.Any, NewEvents(2));
                written += 2;

                var locked = await Assert.ThrowsAsync<StoreLockedException>(async () => await stores.DeleteAsync(name));
                Assert.Contains(name, locked.Resource, StringComparison.Ordinal);
                await Assert.ThrowsAsync<StoreLockedException>(async () => await peer.DeleteAsync(name));

                Assert.True(await stores.ExistsAsync(name));
                Assert.Equal(written, (await holder.GetStreamInfoAsync(stream))?.Count);
                await AssertStillWritesAsync(holder);
            }
        }

        await using var reopened = await peer.OpenAsync(name, ExistingOnly);
        Assert.Equal(6, await reopened.GetHeadPositionAsync());
    }

    /// <summary>What one open writes, every later open reads: events, snapshots, state, checkpoints and messages.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Data_written_through_one_open_is_read_after_reopening()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        await using var peer = await Fixture.CreatePeerAsync(stores);
        var name = Name("durable");
        var stream = StreamName.For("order", "7");
        var state = StreamName.For("counter", "1");
        var due = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var events = NewEvents(3);
        await using (var writer = await stores.OpenAsync(name, Exclusive))
        {
            await writer.CommitAsync(new CommitBatch()
                .Append(stream, ExpectedRevision.NoStream, events)
                .SaveSnapshot(stream, 2, "Order", Encoding.UTF8.GetBytes("{}"))
                .SaveState(state, 1, "Counter", Encoding.UTF8.GetBytes("1"))
                .SaveCheckpoint("projection", 3, expectedPosition: null)
                .Enqueue("jobs", Guid.NewGuid(), "Job", Encoding.UTF8.GetBytes("{}"), due));
        }

        foreach (var provider in new[] { stores, peer })
        {
            await using var reader = await provider.OpenAsync(name, ExistingOnly);
            var read = await reader.ReadStreamAsync(stream).ToListAsync();

            Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
            Assert.Equal(2, (await reader.ReadSnapshotAsync(stream))?.Revision);
            Assert.Equal(1, (await reader.ReadStateAsync(state))?.Version);
            Assert.Equal(3, await reader.ReadCheckpointAsync("projection"));
            Assert.Single(await reader.ReadDueMessagesAsync("jobs", due));
        }
    }

    /// <summary>Two stores of one provider share nothing: events, heads, streams and checkpoints of one are not in the other.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Two_stores_of_one_provider_are_isolated()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var stream = StreamName.For("order", "1");
        await using var first = await stores.OpenAsync(Name("first"), Exclusive);
        await using var second = await stores.OpenAsync(Name("second"), Exclusive);

        await first.CommitAsync(new CommitBatch().Append(stream, ExpectedRevision.NoStream, NewEvents(3)).SaveCheckpoint("p", 3, null));
        await second.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(1));

        Assert.Equal((3L, 1L), (await first.GetHeadPositionAsync(), await second.GetHeadPositionAsync()));
        Assert.Equal((3L, 1L), ((await first.GetStreamInfoAsync(stream))!.Count, (await second.GetStreamInfoAsync(stream))!.Count));
        Assert.Null(await second.ReadCheckpointAsync("p"));
    }

    /// <summary>A deleted store made again under its name starts empty.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_deleted_store_made_again_starts_empty()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var name = Name("reborn");
        await using (var store = await stores.OpenAsync(name))
        {
            await store.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, NewEvents(2));
        }

        Assert.True(await stores.DeleteAsync(name));
        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.OpenAsync(name, ExistingOnly));
        Assert.True(await stores.CreateAsync(name));

        await using var again = await stores.OpenAsync(name, ExistingOnly);
        Assert.Equal(0, await again.GetHeadPositionAsync());
        Assert.Empty(await again.ListStreamsAsync().ToListAsync());
    }

    /// <summary>Disposing an open ends its live subscriptions and refuses its further commits; the store and its data stay.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Disposing_an_open_ends_its_subscriptions_and_refuses_its_commits()
    {
        await using var stores = await Fixture.CreateProviderAsync();
        var name = Name("closing");
        var store = await stores.OpenAsync(name);
        await store.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, NewEvents(2));
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var patience = new CancellationTokenSource(Patience);
        var received = Task.Run(async () => await store.SubscribeAsync(0, null, () => live.TrySetResult(), patience.Token).CountAsync(patience.Token));
        await live.Task.WaitAsync(patience.Token);

        await store.DisposeAsync();

        Assert.Equal(2, await received.WaitAsync(patience.Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.Any, NewEvents(1)));
        await using var reopened = await stores.OpenAsync(name, ExistingOnly);
        Assert.Equal(2, await reopened.GetHeadPositionAsync());
    }

    /// <summary>The name rule, stated a second time independently of the library, as the oracle of the name test.</summary>
    /// <param name="name">A name.</param>
    /// <returns>Whether it may name a store.</returns>
    protected static bool IsValidStoreName(string name) =>
        name.Length is >= 1 and <= 63
        && name[0] is >= 'a' and <= 'z'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
        && !name.StartsWith("pg_", StringComparison.Ordinal)
        && name is not ("public" or "information_schema" or "con" or "prn" or "aux" or "nul")
        && !(name.Length == 4 && name[..3] is "com" or "lpt" && char.IsAsciiDigit(name[3]));

    /// <summary>A name of this suite's own, so stores of suites sharing a backend never meet.</summary>
    /// <param name="label">What the store is for.</param>
    /// <returns>The name.</returns>
    protected string Name(string label) => $"{_prefix}_{label}";

    private static IEnumerable<string> HostileNames()
    {
        string[] fixedNames =
        [
            string.Empty, " ", "a b", " a", "a ", "A", "Orders", "oRders", "a.b", ".", "..", "../a", "a/b", "/a", "a\\b", "..\\a",
            "a\0", "\0", "a\0b", "'a'", "a'", "\"a\"", "a;", "a;drop schema public cascade", "a--", "a-b", "a*", "a?", "a:b", "a%",
            "1a", "_a", "9", "é", "caf\u00E9", "a\u0301", "\u0430", "a\u200B", "\uFEFFa", "a\u202E", "a\uD800", "\uDC00a",
            "\U0001F600", "a\U0001F600", "a\t", "a\n", "a\r", "a\u00A0", "\uFF41", new string('a', 64), new string('a', 200),
            "a" + new string('b', 63), "pg_a", "pg_catalog", "pg_", "public", "information_schema", "con", "nul", "aux", "prn",
            "com1", "lpt9", "$a", "a$", "a@b", "a#", "a!", "a,b", "(a)", "a[0]", "{a}", "a|b", "a=b", "a+b", "a&b", "~a", "`a`",
        ];
        // Generated texts are mostly plain letters with a hostile piece here and there: the valid ones are left out.
        var generated = new HostileText(0x5702E).Take(HostileTextCount).Where(t => !IsValidStoreName(t));
        return fixedNames.Concat(generated).Distinct(StringComparer.Ordinal);
    }

    private static async Task AssertRefusedAsync(string name, string shown, Func<Task> act)
    {
        var error = await Record.ExceptionAsync(act);
        var refused = Assert.IsType<InvalidNameException>(error);
        Assert.True(refused.Kind == NameKind.Store, $"{shown} was refused as a {refused.Kind} name.");
        Assert.Equal(name, refused.Name);
    }

    private static async Task AssertLockedAsync(IEventStoreProvider provider, string name, StoreOpenOptions options)
    {
        IEventStore? opened = null;
        var error = await Record.ExceptionAsync(async () => opened = await provider.OpenAsync(name, options));
        if (opened is not null)
        {
            await opened.DisposeAsync();
        }

        var locked = Assert.IsType<StoreLockedException>(error);
        Assert.Contains(name, locked.Resource, StringComparison.Ordinal);
    }

    private static async Task AssertStillWritesAsync(IEventStore store)
    {
        var head = await store.GetHeadPositionAsync();
        await store.AppendAsync(StreamName.For("check", Guid.NewGuid().ToString("N")), ExpectedRevision.NoStream, NewEvents(1));
        Assert.Equal(head + 1, await store.GetHeadPositionAsync());
    }

    private static async Task<List<string>> ListAsync(IEventStoreProvider provider) => await provider.ListAsync().ToListAsync();

    private static EventData[] NewEvents(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new EventData(Guid.NewGuid(), "Happened", Encoding.UTF8.GetBytes($$"""{"n":{{i}}}""")))];

    private static string Show(string name) =>
        "'" + string.Concat(name.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}")) + $"' ({name.Length} chars)";
}
