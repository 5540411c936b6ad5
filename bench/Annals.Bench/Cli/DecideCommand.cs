using System.CommandLine;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;

namespace Annals.Bench.Cli;

/// <summary><c>decide</c>: the common workload options plus streams, callers and snapshots.</summary>
internal static class DecideCommand
{
    public static Command Build()
    {
        var command = new Command("decide", "Callers send commands one after another to their own streams; each is a TypedEventStore.DecideAsync (load or bring the cached state up to date, decide, append one event). Measures each command's latency.");
        var common = WorkloadOptions.Common();
        common.AddTo(command);
        var streams = WorkloadOptions.Positive(new Option<int>("--streams") { Description = "Streams in all; each caller owns some and sends to them in rotation.", DefaultValueFactory = _ => 1 });
        var callers = new Option<int?>("--writers") { Description = $"Concurrent callers (default: one per stream, at most {DecideSettings.MaxDefaultCallers}); no more than --streams, so no two share a stream." };
        var snapshotEvery = new Option<int?>("--snapshot-every") { Description = "Save a snapshot of the state with the commit whenever a stream passes a multiple of this many events (DecideOptions.SnapshotEvery); none by default." };
        command.Add(streams);
        command.Add(callers);
        var noCache = new Option<bool>("--no-cache") { Description = "Fold every stream from its start (or snapshot) on every command, as without TypedEventStore's cache of folded states (DecisionCacheOptions.Disabled); cached by default." };
        command.Add(snapshotEvery);
        command.Add(noCache);
        command.Validators.Add(result =>
        {
            if (result.GetValue(callers) is { } c && (c < 1 || c > result.GetValue(streams)))
            {
                result.AddError("--writers must be between 1 and --streams: each caller owns its streams.");
            }

            if (result.GetValue(snapshotEvery) is < 1)
            {
                result.AddError("--snapshot-every must be at least 1.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var s = parse.GetValue(streams);
            var c = parse.GetValue(callers) ?? Math.Min(s, DecideSettings.MaxDefaultCallers);

            // Each command stores one event in one commit.
            var settings = common.Read("decide", parse) with { Writers = c, Batch = 1 };
            var result = await DecideWorkload.RunAsync(new DecideSettings(settings, s, parse.GetValue(snapshotEvery), !parse.GetValue(noCache)), cancellationToken);
            Report.Write(result);
            return 0;
        });
        return command;
    }
}
