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
        var engines = WorkloadOptions.Positive(new Option<int>("--engines") { Description = "Local entity engines sharing the store, as that many processes would, each holding its own copy of an entity; senders take them in turn.", DefaultValueFactory = _ => 1 });
        var silos = new Option<int>("--silos") { Description = "Host the entities as grains on this many Orleans silos in this process (one activation per entity), each with an engine on the store; senders take the silos in turn. 0 (the default) for local engines." };
        var hot = new Option<bool>("--hot") { Description = "Every sender commands one entity, through every engine or silo, instead of an entity of its own." };
        command.Add(entities);
        command.Add(snapshotEvery);
        command.Add(engines);
        command.Add(silos);
        command.Add(hot);
        command.Validators.Add(result =>
        {
            if (result.GetValue(silos) < 0)
            {
                result.AddError("--silos must not be negative.");
            }

            if (result.GetValue(silos) > 0 && WorkloadOptions.Given(result, engines))
            {
                result.AddError("--engines is for local engines; with --silos each silo has one engine.");
            }

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
            Report.Write(await EntityWorkload.RunAsync(new EntitySettings(settings, a, parse.GetValue(snapshotEvery), parse.GetValue(engines), parse.GetValue(silos), parse.GetValue(hot)), cancellationToken));
            return 0;
        });
        return command;
    }
}
