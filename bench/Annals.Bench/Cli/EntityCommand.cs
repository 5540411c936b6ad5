using System.CommandLine;
using Annals.Bench.Entities;
using Annals.Bench.Reporting;
using Annals.Storage;

namespace Annals.Bench.Cli;

/// <summary><c>entity</c>: the common workload options plus entities and snapshots.</summary>
internal static class EntityCommand
{
    public static Command Build()
    {
        var command = new Command("entity", "Entities on an EntityEngine, each with one sender sending deposits one after another (await the reply, then send the next); each deposit persists one event of about 100 bytes. Measures each command's latency.");
        var common = WorkloadOptions.Common();
        common.AddTo(command);
        var entities = WorkloadOptions.Positive(new Option<int>("--entities") { Description = "Entities in all, one sender each.", DefaultValueFactory = _ => 1 });
        var snapshotEvery = new Option<int?>("--snapshot-every") { Description = "Snapshot strategy: every this many events (SnapshotStrategy.EveryEvents); none by default." };
        command.Add(entities);
        command.Add(snapshotEvery);
        command.Validators.Add(result =>
        {
            if (result.GetValue(snapshotEvery) is < 1)
            {
                result.AddError("--snapshot-every must be at least 1.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var a = parse.GetValue(entities);

            // Each command stores one event in one commit.
            var settings = common.Read("entity", parse) with { Writers = a, Batch = 1 };
            Report.Write(await EntityWorkload.RunAsync(new EntitySettings(settings, a, parse.GetValue(snapshotEvery)), cancellationToken));
            return 0;
        });
        return command;
    }
}
