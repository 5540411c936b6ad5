using System.Globalization;
using System.Text;
using Annals.Postgres;
using Annals.Storage;

namespace Annals.TestWorker;

/// <summary>
/// Appends to a store from several writers at once, beside other processes doing the same, and prints every acknowledged
/// commit, so a test can check each one against the log. It says "READY" once the store is open, starts on a line "GO"
/// on its input, says "HALF" once each writer has made half its commits and goes on at the next "GO", and says "DONE" at
/// the end. The gate in the middle lets a test hold every process at one point, so that each writes both before and after
/// the others have begun, however slowly one of them starts.
/// </summary>
/// <remarks>
/// usage: <c>append &lt;store&gt; &lt;writers&gt; &lt;commits per writer&gt; &lt;streams&gt; [--expect-revision]</c>, the store
/// being <c>&lt;connection string&gt; &lt;schema&gt;</c> (PostgreSQL) or <c>--nats &lt;url&gt; --store &lt;name&gt;</c><br/>
/// prints: <c>ACK &lt;stream&gt; &lt;first revision&gt; &lt;last revision&gt; &lt;first position&gt; &lt;last position&gt; &lt;event ids, comma-separated&gt; .</c><br/>
/// With <c>--expect-revision</c> each commit expects the last revision its writer knows of the stream (none at first) instead
/// of any: a commit that loses the race prints <c>LOST &lt;stream&gt; &lt;expected last revision&gt; &lt;actual last revision&gt; .</c>
/// (-1 for no stream) and its writer goes on from the revision the error reports. Any other error ends the worker.
/// </remarks>
internal static class AppendCommand
{
    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        var named = WorkerStore.Parse(args, 2, async own =>
            await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = own[0], Schema = own[1] }));
        var rest = named.Rest;
        var writers = int.Parse(rest[0], CultureInfo.InvariantCulture);
        var commits = int.Parse(rest[1], CultureInfo.InvariantCulture);
        var streams = int.Parse(rest[2], CultureInfo.InvariantCulture);
        var expectRevision = rest is [_, _, _, "--expect-revision"];
        await using var store = await named.OpenAsync();

        output.Say("READY");
        if (await Console.In.ReadLineAsync() != "GO")
        {
            return 2;
        }

        var randoms = Enumerable.Range(0, writers).Select(w => new Random(Environment.ProcessId * 31 + w)).ToArray();

        // With --expect-revision: the last revision each writer knows of each stream, as an application would hold it.
        var known = Enumerable.Range(0, writers).Select(_ => new Dictionary<StreamName, long?>()).ToArray();
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
                if (!expectRevision)
                {
                    Acknowledge(await store.AppendAsync(stream, ExpectedRevision.Any, events), events);
                    continue;
                }

                var last = known[writer].GetValueOrDefault(stream);
                try
                {
                    var append = await store.AppendAsync(stream, ExpectedRevision.From(last), events);
                    if (append.FirstRevision != (last ?? -1) + 1)
                    {
                        throw new InvalidOperationException($"{stream} took a commit that expected revision {last?.ToString(CultureInfo.InvariantCulture) ?? "none"} at revision {append.FirstRevision}.");
                    }

                    known[writer][stream] = append.LastRevision;
                    Acknowledge(append, events);
                }
                catch (WrongExpectedRevisionException lost)
                {
                    known[writer][stream] = lost.Actual;
                    output.Say(string.Create(CultureInfo.InvariantCulture, $"LOST {stream} {last ?? -1} {lost.Actual ?? -1}"));
                }
            }
        }

        void Acknowledge(AppendResult append, EventData[] events) =>
            output.Say(string.Create(CultureInfo.InvariantCulture, $"ACK {append.Stream} {append.FirstRevision} {append.LastRevision} {append.FirstPosition} {append.LastPosition} {string.Join(',', events.Select(e => e.EventId))}"));
    }
}
