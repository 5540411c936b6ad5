using System.Globalization;
using System.Text;
using Annals.Sqlite;
using Annals.Storage;

namespace Annals.TestWorker;

/// <summary>
/// Commits batches to a store from several writers until it is killed, printing each batch before it is committed
/// ("TRY") and once it is acknowledged ("ACK"), so a checker can prove that everything acknowledged survived and nothing
/// was half-written (see <see cref="CrashReport"/>).
/// </summary>
/// <remarks>
/// usage: <c>crash &lt;store&gt; &lt;writers&gt;</c>, the store being <c>&lt;db path&gt;</c> (SQLite) or
/// <c>--nats &lt;url&gt; --store &lt;name&gt;</c><br/>
/// prints: <c>TRY &lt;writer&gt; &lt;number&gt; &lt;event ids&gt; .</c> and
/// <c>ACK &lt;writer&gt; &lt;number&gt; &lt;first revision&gt; &lt;last revision&gt; &lt;first position&gt; &lt;last position&gt; .</c><br/>
/// Each writer appends to its stream <c>crash.w&lt;writer&gt;</c>, expecting the revision it last wrote. On a store that
/// commits events and records together, the batch also saves the writer's state <c>crashstate.w&lt;writer&gt;</c>, whose
/// version counts its batches, and the number is that version; on any other (NATS) the batch is the append alone, and the
/// number is the first revision it appends. Either way a writer's numbers increase in a run, and a batch that was stored
/// leaves its number behind for good; one that was not (cut short by the kill) is tried again under its number by the next run.
/// </remarks>
internal static class CrashCommand
{
    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        var named = WorkerStore.Parse(args, 1, async own => await SqliteEventStore.OpenAsync(own[0]));
        var writers = int.Parse(named.Rest[0], CultureInfo.InvariantCulture);
        await using var store = await named.OpenAsync();
        var withState = store.Capabilities.AtomicEventsWithRecords;

        output.Say("READY");
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w))));
        return 0;

        async Task WriteAsync(int writer)
        {
            var stream = StreamName.For("crash", $"w{writer}");
            var key = StreamName.For("crashstate", $"w{writer}");
            var last = (await store.GetStreamInfoAsync(stream))?.LastRevision;
            var version = withState ? (await store.ReadStateAsync(key))?.Version ?? 0 : 0;
            var random = new Random(Environment.ProcessId * 31 + writer);
            while (true)
            {
                var events = Enumerable.Range(0, random.Next(1, 4))
                    .Select(i => new EventData(Guid.NewGuid(), "Ticked", Encoding.UTF8.GetBytes($$"""{"writer":{{writer}},"n":{{i}}}""")))
                    .ToArray();
                var batch = new CommitBatch().Append(stream, ExpectedRevision.From(last), events);
                if (withState)
                {
                    batch.SaveState(key, version + 1, "Count", Encoding.UTF8.GetBytes((version + 1).ToString(CultureInfo.InvariantCulture)));
                }

                var number = withState ? version + 1 : (last ?? -1) + 1;
                output.Say($"TRY {writer} {number} {string.Join(',', events.Select(e => e.EventId))}");
                var result = await store.CommitAsync(batch);
                var append = result.Appends[0];
                output.Say($"ACK {writer} {number} {append.FirstRevision} {append.LastRevision} {append.FirstPosition} {append.LastPosition}");
                last = append.LastRevision;
                version++;
            }
        }
    }
}
