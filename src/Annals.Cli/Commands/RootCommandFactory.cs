using System.CommandLine;
using System.CommandLine.Help;
using Annals.Cli.Infrastructure;

namespace Annals.Cli.Commands;

/// <summary>Builds the <c>annals</c> command with its subcommands.</summary>
internal static class RootCommandFactory
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("Look into, follow and write to an Annals event store on a SQLite file, a PostgreSQL server or a NATS server.")
        {
            HelpName = "annals",
        };
        root.Add(context.Database);
        root.Add(context.Postgres);
        root.Add(context.Schema);
        root.Add(context.Nats);
        root.Add(context.StoreName);
        root.Add(StreamsCommand.Create(context));
        root.Add(ReadCommand.Create(context));
        root.Add(ReadAllCommand.Create(context));
        root.Add(TailCommand.Create(context));
        root.Add(StatsCommand.Create(context));
        root.Add(AppendCommand.Create(context));
        root.Add(ParkedCommand.Create(context));
        root.Add(DemoCommand.Create(context));
        root.Validators.Add(context.ValidateStoreOptions);
        foreach (var command in root.Subcommands)
        {
            command.Validators.Add(context.ValidateStoreOptions);
        }

        // Named stores are named by a folder or a server, not by one store's options: validated on their own.
        root.Add(StoreCommand.Create(context));

        // Orleans' clustering tables are named by a database alone, not by a store: validated on their own too.
        root.Add(ClusterCommand.Create(context));

        // Without a command there is nothing to do: show what there is.
        root.SetAction(parseResult =>
        {
            new HelpAction().Invoke(parseResult);
            return ExitCodes.UsageError;
        });
        return root;
    }
}
