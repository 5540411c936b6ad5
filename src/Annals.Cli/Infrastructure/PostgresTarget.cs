using Annals.Cli.Rendering;
using Annals.Postgres;
using Annals.Storage;
using Npgsql;

namespace Annals.Cli.Infrastructure;

/// <summary>
/// A store in a PostgreSQL schema, named by <c>--postgres</c> and <c>--schema</c>. PostgreSQL has no
/// single owner, so looking and writing both just open the store; looking first checks that the
/// schema holds a store, so a mistyped name is reported instead of made.
/// </summary>
internal sealed class PostgresTarget : StoreTarget
{
    private readonly string _connectionString;
    private readonly string _schema;
    private readonly PostgresCatalog _catalog;

    public PostgresTarget(string connectionString, string schema)
    {
        _connectionString = connectionString;
        _schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var server = Server(builder);
        Display = $"schema '{schema}' on {server}";
        _catalog = new PostgresCatalog(connectionString, schema, server);

        // Suggested commands land in terminals and logs, so they leave the password out; Npgsql finds it in PGPASSWORD or ~/.pgpass.
        builder.Remove("Password");
        CommandLine = $"--postgres {ShellText.Quote(builder.ConnectionString)} --schema {schema}";
    }

    public override string Display { get; }

    /// <summary>How the tool names a server in its messages: <c>host:port/database</c>.</summary>
    public static string Server(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host ?? "localhost"}:{builder.Port}{(builder.Database is { } database ? "/" + database : string.Empty)}";

    public override string CommandLine { get; }

    public override string SizeLabel => "Schema size";

    public override async Task<IEventStore> OpenForReadingAsync(CancellationToken cancellationToken)
    {
        switch (await _catalog.FindAsync(cancellationToken))
        {
            case PostgresCatalog.SchemaKind.Missing:
                throw new CliInputException($"No store in {Display}: the schema does not exist; pass --schema with a store's schema, or make one with 'annals demo --postgres ...'.");
            case PostgresCatalog.SchemaKind.Other:
                throw new CliInputException($"No store in {Display}: the schema holds no Annals store; pass --schema with a store's schema.");
            default:
                return await OpenForWritingAsync(cancellationToken);
        }
    }

    public override async Task<IEventStore> OpenForWritingAsync(CancellationToken cancellationToken) =>
        await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = _connectionString, Schema = _schema }, cancellationToken);

    public override async Task ClearForNewStoreAsync(bool reset, CancellationToken cancellationToken)
    {
        var kind = await _catalog.FindAsync(cancellationToken);
        if (kind == PostgresCatalog.SchemaKind.Missing)
        {
            return;
        }

        if (!reset)
        {
            throw new CliInputException($"The {Display} already exists and the demo writes a new store; pass --reset to replace it, or choose another --schema.");
        }

        if (kind == PostgresCatalog.SchemaKind.Other)
        {
            throw new CliInputException($"The {Display} holds no Annals store, so --reset does not drop it; choose another --schema.");
        }

        await _catalog.DropAsync(cancellationToken);
    }
}
