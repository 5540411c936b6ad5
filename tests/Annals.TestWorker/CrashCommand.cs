using System.Globalization;
using System.Text;
using Annals.Sqlite;
using Annals.Storage;

namespace Annals.TestWorker;

/// <summary>
/// Commits batches to a SQLite store from several writers until it is killed, printing each batch before it is committed
/// ("TRY") and once it is acknowledged ("ACK"), so a checker can prove that everything acknowledged survived and nothing
/// was half-written.
/// </summary>
/// <remarks>
/// usage: <c>crash &lt;db path&gt; &lt;writers&gt;</c><br/>
/// prints: <c>TRY &lt;writer&gt; &lt;version&gt; &lt;event ids&gt; .</c> and
/// <c>ACK &lt;writer&gt; &lt;version&gt; &lt;first revision&gt; &lt;last revision&gt; &lt;first position&gt; &lt;last position&gt; .</c>
/// </remarks>
internal static class CrashCommand
{
    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        var path = args[0];
        var writers = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var store = await SqliteEventStore.OpenAsync(path);

        output.Say("READY");
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w))));
        return 0;

        async Task WriteAsync(int writer)
        {
            var stream = StreamName.For("crash", $"w{writer}");
            var key = StreamName.For("crashstate", $"w{writer}");
            var last = (await store.GetStreamInfoAsync(stream))?.LastRevision;
            var version = (await store.ReadStateAsync(key))?.Version ?? 0;
            var random = new Random(Environment.ProcessId * 31 + writer);
            while (true)
            {
                var events = Enumerable.Range(0, random.Next(1, 4))
                    .Select(i => new EventData(Guid.NewGuid(), "Ticked", Encoding.UTF8.GetBytes($$"""{"writer":{{writer}},"n":{{i}}}""")))
                    .ToArray();
                var batch = new CommitBatch()
                    .Append(stream, ExpectedRevision.From(last), events)
                    .SaveState(key, version + 1, "Count", Encoding.UTF8.GetBytes((version + 1).ToString(CultureInfo.InvariantCulture)));
                output.Say($"TRY {writer} {version + 1} {string.Join(',', events.Select(e => e.EventId))}");
                var result = await store.CommitAsync(batch);
                var append = result.Appends[0];
                output.Say($"ACK {writer} {version + 1} {append.FirstRevision} {append.LastRevision} {append.FirstPosition} {append.LastPosition}");
                last = append.LastRevision;
                version++;
            }
        }
    }
}
