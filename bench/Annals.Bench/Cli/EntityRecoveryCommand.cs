using System.CommandLine;
using Annals.Bench.Entities;
using Annals.Bench.Reporting;

namespace Annals.Bench.Cli;

/// <summary><c>entity-recovery</c>: the common workload options plus snapshots and rounds.</summary>
internal static class EntityRecoveryCommand
{
    public static Command Build()
    {
        var command = new Command("entity-recovery", "One entity of --events events is recovered by a new engine on a freshly opened store: the time from its first command to the reply (the command stores nothing). Reports the median round.");
        var common = WorkloadOptions.Common();
        common.AddTo(command);
        var snapshotEvery = new Option<int?>("--snapshot-every") { Description = "The entity has a snapshot after every this many events; none by default." };
        var rounds = WorkloadOptions.Positive(new Option<int>("--rounds") { Description = "Recoveries measured.", DefaultValueFactory = _ => 5 });
        command.Add(snapshotEvery);
        command.Add(rounds);
        command.Validators.Add(result =>
        {
            if (result.GetValue(snapshotEvery) is < 1)
            {
                result.AddError("--snapshot-every must be at least 1.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = common.Read("entity-recovery", parse) with { Writers = 1, Batch = 0 };
            Report.Write(await EntityRecoveryWorkload.RunAsync(new RecoverySettings(settings, parse.GetValue(snapshotEvery), parse.GetValue(rounds)), cancellationToken));
            return 0;
        });
        return command;
    }
}
