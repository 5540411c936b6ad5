using System.Globalization;
using Annals.Postgres;
using Annals.Processes;
using Annals.Projections;
using Annals.Sqlite;
using Annals.Storage;

namespace Annals.TestWorker.Jobs;

/// <summary>
/// Runs the <see cref="JobProcess"/> in a <see cref="ProcessHost"/>, its commands delivered to a handler that appends a
/// <see cref="Receipt"/> per delivery, until it is killed or told to stop. The holds slow the steps and the deliveries
/// down so that a kill at a line lands in the middle of an event batch or of a delivery.
/// </summary>
/// <remarks>
/// usage: <c>process sqlite &lt;db path&gt; &lt;handle hold ms&gt; &lt;delivery hold ms&gt;</c><br/>
/// or: <c>process postgres &lt;connection string&gt; &lt;schema&gt; &lt;owner&gt; &lt;lease ms&gt; &lt;handle hold ms&gt; &lt;delivery hold ms&gt;</c><br/>
/// It prints READY once the store is open and the host made, and starts the host on a line GO of its input (so a test
/// can get ready to kill it first); then STARTED; HANDLE job type position as a step begins (before its hold);
/// DELIVER message-id attempt as a delivery begins; RECEIPT message-id once its receipt is stored, before the delivery
/// holds and returns (so a kill at the line leaves the command delivered and still queued); STATUS state checkpoint
/// pending-commands pending-timeouts parked on each change; LOG event-id level message for each warning or error the
/// host logs (see <see cref="LineLogger"/>); and STOPPED once a line STOP (or the end) of its input has stopped it.
/// </remarks>
internal static class JobsCommand
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        IEventStore store;
        var hostOptions = new ProjectionHostOptions();
        string[] holds;
        switch (args)
        {
            case ["sqlite", var path, .. var rest] when rest.Length == 2:
                store = await SqliteEventStore.OpenAsync(path);
                holds = rest;
                break;
            case ["postgres", var connectionString, var schema, var owner, var lease, .. var rest] when rest.Length == 2:
                var postgres = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });
                store = postgres;
                hostOptions = new ProjectionHostOptions { Leases = postgres.Leases, Owner = owner, LeaseDuration = Milliseconds(lease) };
                holds = rest;
                break;
            default:
                await Console.Error.WriteLineAsync("usage: Annals.TestWorker process sqlite <db path> <handle hold ms> <delivery hold ms>");
                await Console.Error.WriteLineAsync("       Annals.TestWorker process postgres <connection string> <schema> <owner> <lease ms> <handle hold ms> <delivery hold ms>");
                return 2;
        }

        var handleHold = Milliseconds(holds[0]);
        var deliveryHold = Milliseconds(holds[1]);
        await using (store)
        {
            var codec = JobDomain.Codec();
            using var logger = new LineLogger(output);
            await using var host = new ProcessHost(store, codec, hostOptions, logger);
            host.Routes.ToHandler<Perform>(async (command, delivery, cancellationToken) =>
            {
                output.Say(string.Create(CultureInfo.InvariantCulture, $"DELIVER {delivery.MessageId} {delivery.Attempt}"));
                await store.AppendAsync(JobDomain.Receipts, ExpectedRevision.Any, [codec.Encode(new Receipt(delivery.MessageId, command.Job, delivery.Attempt))], cancellationToken);
                output.Say($"RECEIPT {delivery.MessageId}");
                if (deliveryHold > TimeSpan.Zero)
                {
                    await Task.Delay(deliveryHold, cancellationToken);
                }
            });
            host.Add(JobDomain.Process, new JobProcess(output, handleHold), new ProcessOptions
            {
                BatchSize = 25,
                PollInterval = TimeSpan.FromMilliseconds(100),
                RetryDelay = TimeSpan.FromMilliseconds(50),
                MaxRetryDelay = TimeSpan.FromSeconds(1),
            });

            output.Say("READY");
            if (await Console.In.ReadLineAsync() != "GO")
            {
                return 2;
            }

            await host.StartAsync();
            output.Say("STARTED");
            using var stop = new CancellationTokenSource();
            var watching = WatchAsync(host, output, stop.Token);
            while (await Console.In.ReadLineAsync() is { } line && line != "STOP")
            {
                // Only STOP, or the test process going away, ends the run gracefully; a kill ends it anywhere.
            }

            await stop.CancelAsync();
            await watching;
            await host.StopAsync(CancellationToken.None);
            output.Say("STOPPED");
        }

        return 0;
    }

    /// <summary>Reports each change of the process's status; errors go to standard error, for the test's diagnostics.</summary>
    private static async Task WatchAsync(ProcessHost host, WorkerOutput output, CancellationToken cancellationToken)
    {
        string? reported = null;
        Exception? lastError = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var status = await host.GetStatusAsync(JobDomain.Process, cancellationToken);
                var line = string.Create(CultureInfo.InvariantCulture, $"STATUS {status.Events.State} {status.Events.Position} {status.PendingCommands} {status.PendingTimeouts} {status.Parked}");
                if (line != reported)
                {
                    output.Say(line);
                    reported = line;
                }

                if (status.Events.LastError is { } error && !ReferenceEquals(error, lastError))
                {
                    await Console.Error.WriteLineAsync($"process error: {error.GetType().Name}: {error.Message}");
                }

                lastError = status.Events.LastError;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (AnnalsException e)
            {
                await Console.Error.WriteLineAsync($"status unavailable: {e.Message}");
            }

            try
            {
                await Task.Delay(StatusInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static TimeSpan Milliseconds(string text) => TimeSpan.FromMilliseconds(int.Parse(text, CultureInfo.InvariantCulture));
}
