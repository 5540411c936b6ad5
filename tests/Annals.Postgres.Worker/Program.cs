// Appends to a PostgreSQL store from several writers at once, beside other processes doing the
// same, and prints every acknowledged commit, so a test can check each one against the log.
// It says "READY" once the store is open, starts on a line "GO" on its input, and says "DONE" at the end.
// Every line ends in " ." so that a cut line is recognised.
//   usage: Annals.Postgres.Worker <connection string> <schema> <writers> <commits per writer> <streams>
//   prints: ACK <stream> <first revision> <last revision> <first position> <last position> <event ids, comma-separated> .
using System.Globalization;
using System.Text;
using Annals;
using Annals.Postgres;

var connectionString = args[0];
var schema = args[1];
var writers = int.Parse(args[2], CultureInfo.InvariantCulture);
var commits = int.Parse(args[3], CultureInfo.InvariantCulture);
var streams = int.Parse(args[4], CultureInfo.InvariantCulture);
await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });
var output = Console.Out;
var outputLock = new Lock();

void Say(string line)
{
    lock (outputLock)
    {
        output.WriteLine(line + " .");
        output.Flush();
    }
}

Say("READY");
if (await Console.In.ReadLineAsync() != "GO")
{
    return 2;
}

await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w))));
Say("DONE");
return 0;

async Task WriteAsync(int writer)
{
    var random = new Random(Environment.ProcessId * 31 + writer);
    for (var i = 0; i < commits; i++)
    {
        // Streams are shared by every writer of every process; the types let a filter pick some events.
        var stream = StreamName.For("ord", $"s{random.Next(streams)}");
        var events = Enumerable.Range(0, random.Next(1, 4))
            .Select(n => new EventData(Guid.NewGuid(), random.Next(3) == 0 ? "Shipped" : "Placed", Encoding.UTF8.GetBytes($$"""{"pid":{{Environment.ProcessId}},"writer":{{writer}},"n":{{n}}}""")))
            .ToArray();
        var append = await store.AppendAsync(stream, ExpectedRevision.Any, events);
        Say(string.Create(CultureInfo.InvariantCulture, $"ACK {append.Stream} {append.FirstRevision} {append.LastRevision} {append.FirstPosition} {append.LastPosition} {string.Join(',', events.Select(e => e.EventId))}"));
    }
}
