using System.CommandLine;
using Annals.Bench.Measuring;
using Annals.Bench.Raw;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;

namespace Annals.Bench.Cli;

/// <summary>The command line: one command per workload, each printing one JSON line.</summary>
internal static class BenchCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Annals benchmarks: macro workloads against the store and the raw SQLite or PostgreSQL ceiling, and micro benchmarks of hot paths.")
        {
            Workload("append", "Concurrent writers append to their own streams; measures each commit's latency.", raw: false, writes: true, AppendWorkload.RunAsync),
            Workload("read-all", "Reads the whole log of a prepared store with ReadAllAsync.", raw: false, writes: false, ReadWorkloads.ReadAllAsync),
            Workload("read-stream", "Reads every stream of a prepared store, one by one, with ReadStreamAsync.", raw: false, writes: false, ReadWorkloads.ReadStreamsAsync),
            Workload("catch-up", "A subscription from position 0 until it has seen the head of a prepared store.", raw: false, writes: false, ReadWorkloads.CatchUpAsync),
            DecideCommand.Build(),
            DcbCommand.Build(),
            EntityCommand.Build(),
            EntityRecoveryCommand.Build(),
            EntityMemoryCommand.Build(),
            ProjectCommand.Build(),
            ProcessCommand.Build(),
            Workload("raw-append", "Baseline: the same rows written with plain ADO.NET (SQLite) or Npgsql (PostgreSQL), one transaction per commit.", raw: true, writes: true, RawAppendWorkload.RunAsync),
            Workload("raw-process", "Baseline (SQLite): the rows process writes for each event of a prepared store (state, command, timeout, checkpoint per page; then the page's commands removed) with plain ADO.NET.", raw: true, writes: false, RawProcessWorkload.RunAsync),
            Workload("raw-read", "Baseline: the same rows read with plain ADO.NET or Npgsql, ordered by position, into objects.", raw: true, writes: false, RawReadWorkload.RunAsync),
            MicroCommand.Build(),
            CompareCommand.Build(),
        };
        return root;
    }

    private static Command Workload(string name, string description, bool raw, bool writes, Func<BenchSettings, CancellationToken, Task<BenchResult>> run)
    {
        var command = new Command(name, description);
        var options = new WorkloadOptions(raw, writes);
        options.AddTo(command);
        var listen = new Option<bool>("--listen") { Description = "Listen to every Annals span and measurement as an exporter would (an ActivityListener and a MeterListener), to measure what tracing and metrics cost." };
        if (!raw)
        {
            command.Add(listen);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = options.Read(name, parse);
            using var listening = !raw && parse.GetValue(listen) ? new TelemetryListeners() : null;
            var result = await run(settings, cancellationToken);
            if (listening is not null)
            {
                Report.Progress($"listened: {listening.Summary}");
            }

            Report.Write(result);
            return 0;
        });
        return command;
    }
}
