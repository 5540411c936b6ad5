using System.CommandLine;
using Annals.Bench.Entities;
using Annals.Bench.Reporting;

namespace Annals.Bench.Cli;

/// <summary><c>entity-memory</c>: the common workload options plus entities, waves and the idle timeout.</summary>
internal static class EntityMemoryCommand
{
    public static Command Build()
    {
        var command = new Command("entity-memory", "Waves of new entities, each woken by one deposit and then left to passivate: managed heap per idle live entity, and what is left after passivation.");
        var common = WorkloadOptions.Common();
        common.AddTo(command);
        var entities = WorkloadOptions.Positive(new Option<int>("--entities") { Description = "Entities woken in each wave.", DefaultValueFactory = _ => 10_000 });
        var waves = WorkloadOptions.Positive(new Option<int>("--waves") { Description = "Waves of new entity ids.", DefaultValueFactory = _ => 3 });
        var idle = new Option<double>("--idle-seconds") { Description = "The entities' idle timeout.", DefaultValueFactory = _ => 5 };
        command.Add(entities);
        command.Add(waves);
        command.Add(idle);
        idle.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() <= 0)
            {
                result.AddError("--idle-seconds must be positive.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = common.Read("entity-memory", parse) with { Batch = 1 };
            var memory = new MemorySettings(settings, parse.GetValue(entities), parse.GetValue(waves), TimeSpan.FromSeconds(parse.GetValue(idle)));
            Report.Write(await EntityMemoryWorkload.RunAsync(memory, cancellationToken));
            return 0;
        });
        return command;
    }
}
