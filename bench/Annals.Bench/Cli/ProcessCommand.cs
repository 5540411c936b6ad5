using System.CommandLine;
using Annals.Bench.Processes;
using Annals.Bench.Reporting;

namespace Annals.Bench.Cli;

/// <summary><c>process</c>: the common workload options plus the pace (live), the batch size, the poll interval and the layout.</summary>
internal static class ProcessCommand
{
    public static Command Build()
    {
        var command = new Command("process", "One process manager: each event starts an instance, which stores its state, sends one command (delivered to a counting handler) and schedules one timeout a year ahead. catch-up (no --rate): from position 0 of a prepared store until the checkpoint reaches the head, then until every command is delivered. live (--rate): following appenders that append single-event commits at that rate; latency from each append's return to its command's delivery.");
        var common = WorkloadOptions.Common();
        common.AddTo(command);
        var rate = WorkloadOptions.Positive(new Option<int>("--rate") { Description = "Live mode: events per second the appenders aim at, together. Without it, catch-up over a prepared store." });
        var writers = WorkloadOptions.Positive(new Option<int>("--writers") { Description = "Live: concurrent appenders, each on its own 4 streams.", DefaultValueFactory = _ => Projections.ProjectSettings.DefaultAppenders });
        var batchSize = WorkloadOptions.Positive(new Option<int>("--batch-size") { Description = "The process's batch size (ProcessOptions.BatchSize); while behind, its projection takes up to 4096.", DefaultValueFactory = _ => new Annals.Processes.ProcessOptions().BatchSize });
        var pollInterval = WorkloadOptions.Positive(new Option<int>("--poll-interval") { Description = "The process's ProcessOptions.PollInterval, milliseconds: how often its queues are read when no commit of its own woke them.", DefaultValueFactory = _ => (int)new Annals.Processes.ProcessOptions().PollInterval.TotalMilliseconds });
        var streamSize = WorkloadOptions.Positive(new Option<int>("--stream-size") { Description = "Catch-up: events per stream when preparing the store.", DefaultValueFactory = _ => 100 });
        command.Add(rate);
        command.Add(writers);
        command.Add(batchSize);
        command.Add(pollInterval);
        command.Add(streamSize);
        command.Validators.Add(result =>
        {
            if (result.GetValue<string>("--store") is "memory" or "nats")
            {
                result.AddError("process needs a SQL store (sqlite or postgres), as project does.");
            }

            var live = WorkloadOptions.Given(result, rate);
            if (!live && WorkloadOptions.Given(result, writers))
            {
                result.AddError("--writers goes with --rate.");
            }

            if (live && WorkloadOptions.Given(result, streamSize))
            {
                result.AddError("--stream-size goes with catch-up (no --rate).");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var live = parse.GetResult(rate) is { Implicit: false };
            var settings = common.Read("process", parse) with
            {
                Writers = live ? parse.GetValue(writers) : 1,
                Batch = live ? 1 : 0,
                StreamSize = parse.GetValue(streamSize),
            };
            var process = new ProcessSettings(settings, live, live ? parse.GetValue(rate) : 0, parse.GetValue(batchSize), TimeSpan.FromMilliseconds(parse.GetValue(pollInterval)));
            Report.Write(live
                ? await ProcessLiveWorkload.RunAsync(process, cancellationToken)
                : await ProcessCatchUpWorkload.RunAsync(process, cancellationToken));
            return 0;
        });
        return command;
    }
}
