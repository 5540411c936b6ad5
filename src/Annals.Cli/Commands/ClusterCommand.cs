using System.CommandLine;
using System.CommandLine.Parsing;
using Annals.Cli.Infrastructure;
using Annals.Orleans.Postgres;
using Npgsql;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary>
/// <c>annals cluster schema --postgres CS</c>: creates Orleans' clustering tables on the PostgreSQL database that silos
/// hosting Annals entities cluster on (<c>UseAnnalsPostgresClustering</c>), before any silo starts.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("cluster", "Set up an Orleans cluster whose silos host Annals entities as grains.");
        command.Add(Schema(context));
        return command;
    }

    private static Command Schema(CliContext context)
    {
        var command = new Command(
            "schema",
            "Create Orleans' clustering tables on the PostgreSQL database of --postgres, from Orleans' own scripts, unless they are there; "
            + "in the first schema of the connection's search path ('public' unless the connection string says 'Search Path=…'). "
            + "Silos on UseAnnalsPostgresClustering do the same when they start; this does it beforehand, with a role allowed to create tables.");
        command.Validators.Add(result => Validate(context, result));
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var connectionString = parseResult.GetValue(context.Postgres)!;
            var server = PostgresTarget.Server(new NpgsqlConnectionStringBuilder(connectionString));
            var outcome = await OrleansPostgresSchema.EnsureCreatedAsync(connectionString, cancellationToken);
            context.Console.WriteLine(outcome.Created
                ? $"Created Orleans' clustering tables in schema '{outcome.Schema}' of database {server} ({string.Join(", ", outcome.AppliedScripts)})."
                : $"Orleans' clustering tables are already in schema '{outcome.Schema}' of database {server}; they are left as they are.");
            return ExitCodes.Success;
        });
        return command;
    }

    // The tables live in a PostgreSQL database, named by --postgres alone: not a store of any backend.
    private static void Validate(CliContext context, CommandResult result)
    {
        if (!Given(result, context.Postgres))
        {
            result.AddError("'annals cluster schema' needs --postgres: the connection string of the database the silos cluster on.");
        }

        if (Given(result, context.Database) || Given(result, context.Nats) || Given(result, context.StoreName))
        {
            result.AddError("'annals cluster schema' works on a PostgreSQL database only: pass --postgres, not --db, --nats or --store.");
        }

        if (Given(result, context.Schema))
        {
            result.AddError("'annals cluster schema' takes no --schema: Orleans' tables go in the connection's search path; name a schema with 'Search Path=' in the connection string.");
        }
    }

    private static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
