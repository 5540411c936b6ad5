// Hosts one entity engine on a PostgreSQL store, beside other processes hosting the same counters, and has several
// senders add to them at once, printing what became of every command so a test can check the counters against it.
// It says "READY ." once the engine runs, starts on a line "GO" on its input, and says "DONE ." at the end; any error
// but a conflict goes to stderr as "ERROR ..." and ends it with exit code 1.
//   usage: Annals.Postgres.EntityWorker <connection string> <schema> <senders> <commands per sender> <entities>
//   prints: ACK <entity> <amount> <revision> .   or   CONFLICT <entity> <amount> .
using System.Globalization;
using Annals.Postgres;
using Annals.Postgres.EntityWorker;

var connectionString = args[0];
var schema = args[1];
var senders = int.Parse(args[2], CultureInfo.InvariantCulture);
var commands = int.Parse(args[3], CultureInfo.InvariantCulture);
var entities = int.Parse(args[4], CultureInfo.InvariantCulture);
await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });
await using var engine = CounterDomain.Engine(store);
await engine.StartAsync();
var output = Console.Out;
var outputLock = new Lock();

void Say(string line)
{
    lock (outputLock)
    {
        output.WriteLine(line);
        output.Flush();
    }
}

Say("READY .");
if (await Console.In.ReadLineAsync() != "GO")
{
    return 2;
}

try
{
    await CounterSenders.RunAsync(engine, senders, commands, entities, Environment.ProcessId, outcome => Say(outcome.ToLine()));
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"ERROR {e}");
    return 1;
}

Say("DONE .");
return 0;
