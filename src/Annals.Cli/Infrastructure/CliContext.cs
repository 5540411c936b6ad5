using System.CommandLine;
using System.CommandLine.Parsing;
using Annals.Postgres;
using Annals.Sqlite;
using Npgsql;
using Spectre.Console;

namespace Annals.Cli.Infrastructure;

/// <summary>What every command of one run shares: where to write, and the options that name the store.</summary>
internal sealed class CliContext
{
    /// <summary>The store used when neither <c>--db</c> nor <c>--postgres</c> is given.</summary>
    public const string DefaultDatabase = "annals.db";

    /// <summary>The NATS store used when <c>--store</c> is not given.</summary>
    public const string DefaultStore = "annals";

    /// <summary>The PostgreSQL schema used when <c>--schema</c> is not given.</summary>
    public const string DefaultSchema = "annals";

    public CliContext(IAnsiConsole console, TextWriter error)
    {
        Console = console;
        Error = error;
        StoreName.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (Storage.Providers.NameChecks.CheckStore(value) is { } problem)
            {
                result.AddError($"--store '{value}' is invalid: {problem}.");
            }
        });
        Schema.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (PostgresEventStoreOptions.CheckSchema(value) is { } problem)
            {
                result.AddError($"--schema '{value}' is invalid: {problem}.");
            }
        });
        Postgres.Validators.Add(result =>
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(result.GetValueOrDefault<string?>());
            }
            catch (ArgumentException e)
            {
                result.AddError($"--postgres is not a valid connection string: {e.Message.TrimEnd('.')}.");
            }
        });
    }

    /// <summary>Where results are drawn.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Where errors are written.</summary>
    public TextWriter Error { get; }

    /// <summary>The store's file, given to the root command and every subcommand.</summary>
    public Option<string> Database { get; } = new("--db")
    {
        Description = "The store's SQLite file. Not with --postgres.",
        HelpName = "path",
        DefaultValueFactory = _ => DefaultDatabase,
        Recursive = true,
    };

    /// <summary>The PostgreSQL server holding the store, instead of a SQLite file.</summary>
    public Option<string?> Postgres { get; } = new("--postgres")
    {
        Description = "Use a store on PostgreSQL instead of a SQLite file: the Npgsql connection string, e.g. 'Host=db;Username=app;Database=app'. Not with --db.",
        HelpName = "connection-string",
        Recursive = true,
    };

    /// <summary>The schema of the PostgreSQL store.</summary>
    public Option<string> Schema { get; } = new("--schema")
    {
        Description = "With --postgres: the schema holding the store.",
        HelpName = "name",
        DefaultValueFactory = _ => DefaultSchema,
        Recursive = true,
    };

    /// <summary>The NATS server holding the store, instead of a SQLite file.</summary>
    public Option<string?> Nats { get; } = new("--nats")
    {
        Description = "Use a store on a NATS server with JetStream instead of a SQLite file: the server's URL, e.g. 'nats://127.0.0.1:4222'. Not with --db or --postgres.",
        HelpName = "url",
        Recursive = true,
    };

    /// <summary>The name of the NATS store.</summary>
    public Option<string> StoreName { get; } = new("--store")
    {
        Description = "With --nats: the store's name.",
        HelpName = "name",
        DefaultValueFactory = _ => DefaultStore,
        Recursive = true,
    };

    /// <summary>The folder of the SQLite stores that <c>annals store</c> works on, given to it and its subcommands.</summary>
    public Option<string> StoreFolder { get; } = new("--dir")
    {
        Description = "The folder of the SQLite stores, one file <name>.db each. Not with --postgres.",
        HelpName = "folder",
        DefaultValueFactory = _ => ".",
        Recursive = true,
    };

    /// <summary>The named stores of the command line: those of the PostgreSQL database with <c>--postgres</c>, else the SQLite stores of the folder.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The stores, with the provider that makes and opens them.</returns>
    public StoreSet Stores(ParseResult parseResult)
    {
        if (parseResult.GetValue(Nats) is { } url)
        {
            return new StoreSet(new Annals.Nats.NatsStoreProvider(new Annals.Nats.NatsEventStoreOptions { Url = url }), $"NATS server {url}");
        }

        if (parseResult.GetValue(Postgres) is { } connectionString)
        {
            var server = PostgresTarget.Server(new NpgsqlConnectionStringBuilder(connectionString));
            return new StoreSet(new PostgresStoreProvider(new PostgresEventStoreOptions { ConnectionString = connectionString }), $"database {server}");
        }

        var folder = Path.GetFullPath(parseResult.GetValue(StoreFolder) ?? ".");

        // Checked here, as a mistake of the command line: the provider would report it as a store that cannot be found.
        if (!Directory.Exists(folder))
        {
            throw new CliInputException($"The folder '{folder}' does not exist; pass --dir with the folder of the stores.");
        }

        return new StoreSet(new SqliteStoreProvider(folder), $"folder '{folder}'");
    }

    /// <summary>Refuses options that name one store, or a folder and a server at once, on the commands that work on named stores.</summary>
    /// <param name="result">The command being validated.</param>
    public void ValidateStoreSetOptions(CommandResult result)
    {
        if (Given(result, Database))
        {
            result.AddError("--db names one store's file; 'annals store' works on the stores of a folder: pass --dir.");
        }

        if (Given(result, Schema))
        {
            result.AddError("'annals store' takes no --schema: a store's name is its schema.");
        }

        if (Given(result, StoreName))
        {
            result.AddError("'annals store' takes no --store: it works on every store of the server; name one as an argument.");
        }

        if (Given(result, StoreFolder) && Given(result, Postgres))
        {
            result.AddError("--dir and --postgres cannot be used together: --dir names a folder of SQLite stores, --postgres a PostgreSQL server.");
        }
    }

    /// <summary>The store named on the command line: the PostgreSQL schema with <c>--postgres</c>, else the SQLite file.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The store's target.</returns>
    public StoreTarget Target(ParseResult parseResult) =>
        parseResult.GetValue(Nats) is { } url
            ? new NatsTarget(url, parseResult.GetValue(StoreName) ?? DefaultStore)
            : parseResult.GetValue(Postgres) is { } connectionString
                ? new PostgresTarget(connectionString, parseResult.GetValue(Schema) ?? DefaultSchema)
                : new SqliteTarget(parseResult.GetValue(Database) ?? DefaultDatabase);

    /// <summary>Refuses options that name two stores at once, or a schema without a server.</summary>
    /// <param name="result">The command being validated.</param>
    public void ValidateStoreOptions(CommandResult result)
    {
        var postgres = Given(result, Postgres);
        if (postgres && Given(result, Database))
        {
            result.AddError("--db and --postgres cannot be used together: --db names a SQLite file, --postgres a PostgreSQL server.");
        }
        else if (!postgres && Given(result, Schema))
        {
            result.AddError("--schema needs --postgres: it names a schema on a PostgreSQL server.");
        }

        var nats = Given(result, Nats);
        if (nats && (Given(result, Database) || postgres))
        {
            result.AddError("--nats cannot be used with --db or --postgres: each names a different store.");
        }
        else if (!nats && Given(result, StoreName))
        {
            result.AddError("--store needs --nats: it names a store on a NATS server.");
        }
    }

    private static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
