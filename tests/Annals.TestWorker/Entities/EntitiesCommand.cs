using System.Globalization;
using Annals.Postgres;

namespace Annals.TestWorker.Entities;

/// <summary>
/// Hosts one entity engine on a PostgreSQL store, beside other processes hosting the same counters, and has several
/// senders add to them at once, printing what became of every command so a test can check the counters against it.
/// It says "READY ." once the engine runs, starts on a line "GO" on its input, and says "DONE ." at the end; any error
/// but a conflict goes to stderr as "ERROR ..." and ends it with exit code 1.
/// </summary>
/// <remarks>
/// usage: <c>entities &lt;connection string&gt; &lt;schema&gt; &lt;senders&gt; &lt;commands per sender&gt; &lt;entities&gt;</c><br/>
/// prints: <c>ACK &lt;entity&gt; &lt;amount&gt; &lt;revision&gt; .</c> or <c>CONFLICT &lt;entity&gt; &lt;amount&gt; .</c>
/// </remarks>
internal static class EntitiesCommand
{
    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        var connectionString = args[0];
        var schema = args[1];
        var senders = int.Parse(args[2], CultureInfo.InvariantCulture);
        var commands = int.Parse(args[3], CultureInfo.InvariantCulture);
        var entities = int.Parse(args[4], CultureInfo.InvariantCulture);
        await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });
        await using var engine = CounterDomain.Engine(store);
        await engine.StartAsync();

        output.Say("READY");
        if (await Console.In.ReadLineAsync() != "GO")
        {
            return 2;
        }

        try
        {
            await CounterSenders.RunAsync(engine, senders, commands, entities, Environment.ProcessId, outcome => output.Print(outcome.ToLine()));
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"ERROR {e}");
            return 1;
        }

        output.Say("DONE");
        return 0;
    }
}
