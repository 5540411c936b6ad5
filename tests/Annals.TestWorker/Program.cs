// The one worker program of the cross-process tests: each subcommand is a process the tests start, kill and check.
//   append      <connection string> <schema> <writers> <commits per writer> <streams> [--expect-revision]   (AppendCommand)
//   entities    <connection string> <schema> <senders> <commands per sender> <entities>  (EntitiesCommand)
//   lease       <schema> <lease name> <owner> <duration in ms>                           (LeaseCommand)
//   crash       <db path> <writers>                                                      (CrashCommand)
//   projection  sqlite <db path> <projection name> [<append every ms>]                   (ProjectionCommand)
//   projection  postgres <connection string> <schema> <projection name> <owner> <lease ms>
//   process     sqlite <db path> <handle hold ms> <delivery hold ms>                     (JobsCommand)
//   process     postgres <connection string> <schema> <owner> <lease ms> <handle hold ms> <delivery hold ms>
// append and crash work on a store on a NATS server instead when its first arguments are --nats <url> --store <name>,
// in place of the connection string and schema or the db path (WorkerStore).
// Every line a subcommand prints ends in " ." so that a line cut by a kill is recognised.
using Annals.TestWorker;
using Annals.TestWorker.Entities;
using Annals.TestWorker.Jobs;
using Annals.TestWorker.Projections;

var output = new WorkerOutput(Console.Out);
return args switch
{
    ["append", .. var rest] => await AppendCommand.RunAsync(rest, output),
    ["entities", .. var rest] => await EntitiesCommand.RunAsync(rest, output),
    ["lease", .. var rest] => await LeaseCommand.RunAsync(rest, output),
    ["crash", .. var rest] => await CrashCommand.RunAsync(rest, output),
    ["projection", .. var rest] => await ProjectionCommand.RunAsync(rest, output),
    ["process", .. var rest] => await JobsCommand.RunAsync(rest, output),
    _ => await UsageAsync(),
};

static async Task<int> UsageAsync()
{
    await Console.Error.WriteLineAsync("usage: Annals.TestWorker append|entities|lease|crash|projection|process <arguments>");
    return 2;
}
