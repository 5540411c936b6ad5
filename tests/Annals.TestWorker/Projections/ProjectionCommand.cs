using System.Globalization;
using Annals.Postgres;
using Annals.Projections;
using Annals.Sqlite;
using Annals.Storage;

namespace Annals.TestWorker.Projections;

/// <summary>
/// Hosts one projection that counts every event into a table of the store's own database (see <see cref="Tally"/>),
/// exactly once with its checkpoint, until it is killed or told to stop. Tests kill it with SIGKILL at random moments,
/// and run two on one PostgreSQL schema to see the projection move to the other when its owner dies.
/// </summary>
/// <remarks>
/// usage: <c>projection sqlite &lt;db path&gt; &lt;projection name&gt; [&lt;append every ms&gt;]</c><br/>
/// or: <c>projection postgres &lt;connection string&gt; &lt;schema&gt; &lt;projection name&gt; &lt;owner&gt; &lt;lease ms&gt;</c><br/>
/// With <c>append every ms</c> it also appends a few events that often: only the process that owns a SQLite file may
/// write to it, so the events that arrive while the projection is live have to come from here. It prints READY once
/// the host has started; BATCH first-position last-position as the handler returns a batch, before the batch commits;
/// LIVE position or STATE state position on each change of state or checkpoint; and STOPPED once a line STOP (or the
/// end) of its input has stopped it (see <see cref="WorkerLine"/>).
/// </remarks>
internal static class ProjectionCommand
{
    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        IEventStore store;
        string projection;
        var hostOptions = new ProjectionHostOptions();
        TimeSpan? appendEvery = null;
        switch (args)
        {
            case ["sqlite", var path, var name, .. var rest] when rest.Length <= 1:
                store = await SqliteEventStore.OpenAsync(path);
                projection = name;
                appendEvery = rest.Length == 1 ? Milliseconds(rest[0]) : null;
                break;
            case ["postgres", var connectionString, var schema, var name, var owner, var lease]:
                var postgres = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });
                store = postgres;
                projection = name;
                hostOptions = new ProjectionHostOptions { Leases = postgres.Leases, Owner = owner, LeaseDuration = Milliseconds(lease) };
                break;
            default:
                await Console.Error.WriteLineAsync("usage: Annals.TestWorker projection sqlite <db path> <projection name> [<append every ms>]");
                await Console.Error.WriteLineAsync("       Annals.TestWorker projection postgres <connection string> <schema> <projection name> <owner> <lease ms>");
                return 2;
        }

        await using (store)
        {
            await Tally.CreateAsync(store);
            await using var host = new ProjectionHost(store, hostOptions);
            host.Add(projection, new TallyProjection(output), new ProjectionOptions { BatchSize = 50, CatchUpBatchSize = 50 });
            await host.StartAsync();
            output.Say("READY");

            using var stop = new CancellationTokenSource();
            var watching = StatusWatch.RunAsync(host, projection, output, stop.Token);
            var appending = appendEvery is { } every ? TallyEvents.AppendEveryAsync(store, new Random(Environment.ProcessId), every, stop.Token) : Task.CompletedTask;
            while (await Console.In.ReadLineAsync() is { } line && line != "STOP")
            {
                // Only STOP, or the test process going away, ends the run gracefully; a kill ends it anywhere.
            }

            await stop.CancelAsync();
            await Task.WhenAll(watching, appending);
            await host.StopAsync(CancellationToken.None);
            output.Say("STOPPED");
        }

        return 0;
    }

    private static TimeSpan Milliseconds(string text) => TimeSpan.FromMilliseconds(int.Parse(text, CultureInfo.InvariantCulture));
}
