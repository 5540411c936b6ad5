using System.Globalization;
using System.Text;
using Annals.Postgres;
using Annals.Storage;

namespace Annals.TestWorker;

/// <summary>
/// Appends to a PostgreSQL store from several writers at once, beside other processes doing the same, and prints every
/// acknowledged commit, so a test can check each one against the log. It says "READY" once the store is open, starts
/// on a line "GO" on its input, says "HALF" once each writer has made half its commits and goes on at the next "GO",
/// and says "DONE" at the end. The gate in the middle lets a test hold every process at one point, so that each writes
/// both before and after the others have begun, however slowly one of them starts.
/// </summary>
/// <remarks>
/// usage: <c>append &lt;connection string&gt; &lt;schema&gt; &lt;writers&gt; &lt;commits per writer&gt; &lt;streams&gt;</c><br/>
/// prints: <c>ACK &lt;stream&gt; &lt;first revision&gt; &lt;last revision&gt; &lt;first position&gt; &lt;last position&gt; &lt;event ids, comma-separated&gt; .</c>
/// </remarks>
internal static class AppendCommand
{
    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        var connectionString = args[0];
        var schema = args[1];
        var writers = int.Parse(args[2], CultureInfo.InvariantCulture);
        var commits = int.Parse(args[3], CultureInfo.InvariantCulture);
        var streams = int.Parse(args[4], CultureInfo.InvariantCulture);
        await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });

        output.Say("READY");
        if (await Console.In.ReadLineAsync() != "GO")
        {
            return 2;
        }

        var randoms = Enumerable.Range(0, writers).Select(w => new Random(Environment.ProcessId * 31 + w)).ToArray();
        var half = commits / 2;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w, half))));
        output.Say("HALF");
        if (await Console.In.ReadLineAsync() != "GO")
        {
            return 2;
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w, commits - half))));
        output.Say("DONE");
        return 0;

        async Task WriteAsync(int writer, int count)
        {
            var random = randoms[writer];
            for (var i = 0; i < count; i++)
            {
                // Streams are shared by every writer of every process; the types let a filter pick some events.
                var stream = StreamName.For("ord", $"s{random.Next(streams)}");
                var events = Enumerable.Range(0, random.Next(1, 4))
                    .Select(n => new EventData(Guid.NewGuid(), random.Next(3) == 0 ? "Shipped" : "Placed", Encoding.UTF8.GetBytes($$"""{"pid":{{Environment.ProcessId}},"writer":{{writer}},"n":{{n}}}""")))
                    .ToArray();
                var append = await store.AppendAsync(stream, ExpectedRevision.Any, events);
                output.Say(string.Create(CultureInfo.InvariantCulture, $"ACK {append.Stream} {append.FirstRevision} {append.LastRevision} {append.FirstPosition} {append.LastPosition} {string.Join(',', events.Select(e => e.EventId))}"));
            }
        }
    }
}
