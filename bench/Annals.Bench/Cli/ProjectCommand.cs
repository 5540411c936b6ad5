using System.CommandLine;
using Annals.Bench.Projections;
using Annals.Bench.Reporting;

namespace Annals.Bench.Cli;

/// <summary><c>project</c>: the common workload options plus the mode, the pace, the batch sizes and the layout.</summary>
internal static class ProjectCommand
{
    public static Command Build()
    {
        var command = new Command("project", "One projection, exactly once, into a SQL read model in the store's database (per-stream counts, upserted with the checkpoint). catch-up: from position 0 of a prepared store to its head. live: following appenders that append single-event commits at --rate; latency from each append's return to the handler.");
        var common = WorkloadOptions.Common();
        common.AddTo(command);
        var mode = new Option<string>("--mode") { Description = "catch-up (a prepared store, projected from the start) or live (an empty store, appended to at --rate while projected).", DefaultValueFactory = _ => "catch-up" };
        mode.AcceptOnlyFromAmong("catch-up", "live");
        var rate = WorkloadOptions.Positive(new Option<int>("--rate") { Description = "live: events per second the appenders aim at, together.", DefaultValueFactory = _ => 5000 });
        var writers = WorkloadOptions.Positive(new Option<int>("--writers") { Description = "live: concurrent appenders, each on its own 4 streams, each waiting for its append before the next; the rate is shared among them.", DefaultValueFactory = _ => ProjectSettings.DefaultAppenders });
        var batchSize = WorkloadOptions.Positive(new Option<int>("--batch-size") { Description = "The projection's batch size (ProjectionOptions.BatchSize).", DefaultValueFactory = _ => 256 });
        var catchUpBatchSize = WorkloadOptions.Positive(new Option<int>("--catch-up-batch-size") { Description = "The projection's batch size while behind the log (ProjectionOptions.CatchUpBatchSize).", DefaultValueFactory = _ => new Annals.Projections.ProjectionOptions().CatchUpBatchSize });
        var streamSize = WorkloadOptions.Positive(new Option<int>("--stream-size") { Description = "catch-up: events per stream when preparing the store.", DefaultValueFactory = _ => 100 });
        command.Add(mode);
        command.Add(rate);
        command.Add(writers);
        command.Add(batchSize);
        command.Add(catchUpBatchSize);
        command.Add(streamSize);
        command.Validators.Add(result =>
        {
            if (result.GetValue<string>("--store") is "memory" or "nats")
            {
                result.AddError("project needs a SQL store (sqlite or postgres): the read model is a table in the store's database.");
            }

            var live = result.GetValue(mode) == "live";
            if (!live && (WorkloadOptions.Given(result, rate) || WorkloadOptions.Given(result, writers)))
            {
                result.AddError("--rate and --writers go with --mode live.");
            }

            if (live && WorkloadOptions.Given(result, streamSize))
            {
                result.AddError("--stream-size goes with --mode catch-up.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var live = parse.GetValue(mode) == "live";

            // Live appends one event per commit; catch-up reads, as the read workloads do.
            var settings = common.Read("project", parse) with
            {
                Writers = live ? parse.GetValue(writers) : 1,
                Batch = live ? 1 : 0,
                StreamSize = parse.GetValue(streamSize),
            };
            var project = new ProjectSettings(settings, live, parse.GetValue(rate), parse.GetValue(batchSize), parse.GetValue(catchUpBatchSize));
            Report.Write(live
                ? await ProjectLiveWorkload.RunAsync(project, cancellationToken)
                : await ProjectCatchUpWorkload.RunAsync(project, cancellationToken));
            return 0;
        });
        return command;
    }
}
