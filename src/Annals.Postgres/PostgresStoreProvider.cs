using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// Named stores on one PostgreSQL database: the store <c>name</c> is the schema <c>name</c>, holding its tables.
/// Every process that opens a store of the database, through a provider or <see cref="PostgresEventStore.OpenAsync(PostgresEventStoreOptions, CancellationToken)"/>,
/// honours the same exclusive opens: see <see cref="PostgresEventStoreOptions.Exclusive"/>.
/// </summary>
/// <remarks>
/// Only schemas that hold an Annals store count: <see cref="ListAsync"/> and <see cref="ExistsAsync"/> pass over
/// others, and a schema holding tables of another kind is neither made into a store nor dropped
/// (<see cref="AnnalsException"/>); an empty schema, made beforehand to grant rights on it, may become a store.
/// Deleting a store drops its schema with <c>DROP SCHEMA … CASCADE</c> under the schema's exclusive lock, so an open
/// store is never deleted.
/// </remarks>
/// <example>
/// <code>
/// await using var stores = new PostgresStoreProvider(new PostgresEventStoreOptions { ConnectionString = "Host=db;Username=app;Database=app" });
/// await using var tenant = await stores.OpenAsync("tenant_42", new StoreOpenOptions { Exclusive = true });
/// </code>
/// </example>
public sealed class PostgresStoreProvider : IEventStoreProvider
{
    private readonly PostgresEventStoreOptions _template;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>Makes a provider of the stores of one database. Nothing is read or made until a method is called.</summary>
    /// <param name="template">
    /// The options every store is opened with: the server (a connection string or a data source of the caller's, which
    /// the provider also asks about schemas), limits and clock. Its <see cref="PostgresEventStoreOptions.Schema"/> and
    /// <see cref="PostgresEventStoreOptions.Exclusive"/> are not used: each store's schema is its name, and each open says
    /// whether it is exclusive.
    /// </param>
    /// <exception cref="ArgumentException">An option of <paramref name="template"/> is invalid; the message names it.</exception>
    public PostgresStoreProvider(PostgresEventStoreOptions template)
    {
        ArgumentNullException.ThrowIfNull(template);
        template.Validate();
        _template = template.For(template.Schema, exclusive: false);
        if (template.DataSource is { } given)
        {
            _dataSource = given;
        }
        else
        {
            try
            {
                _dataSource = NpgsqlDataSource.Create(template.ConnectionString);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"PostgresEventStoreOptions.ConnectionString is invalid: {e.Message}", nameof(template), e);
            }

            _ownsDataSource = true;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = await RunAsync(
            "the database",
            async () =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand(
                    """
                    SELECT n.nspname FROM pg_namespace n
                    WHERE EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'schema_version' AND c.relkind IN ('r', 'p'))
                    ORDER BY n.nspname COLLATE "C"
                    """,
                    connection);
                var found = new List<string>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add(reader.GetString(0));
                }

                return found;
            }).ConfigureAwait(false);

        // A store made by PostgresEventStore.OpenAsync in a schema that is no store name ('_x') is not one of these.
        foreach (var name in names.Where(n => NameChecks.CheckStore(n) is null))
        {
            yield return name;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        return await RunAsync(name, () => PostgresSchema.InspectAsync(_dataSource, name, cancellationToken)).ConfigureAwait(false) == PostgresSchemaKind.Store;
    }

    /// <inheritdoc />
    /// <exception cref="AnnalsException">The schema holds tables of another kind, which are left as they are.</exception>
    public ValueTask<bool> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        return new(RunAsync(name, async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            switch (await PostgresSchema.InspectAsync(connection, name, cancellationToken).ConfigureAwait(false))
            {
                case PostgresSchemaKind.Store:
                    return false;
                case PostgresSchemaKind.Foreign:
                    throw Foreign(name);
            }

            // Under a shared lock, as an open: not while the schema is being dropped or is open exclusively.
            await PostgresStoreLock.TakeOnAsync(connection, name, exclusive: false, "created", cancellationToken).ConfigureAwait(false);
            try
            {
                return await PostgresSchema.InspectAsync(connection, name, cancellationToken).ConfigureAwait(false) switch
                {
                    PostgresSchemaKind.Foreign => throw Foreign(name),
                    _ => await PostgresSchema.MigrateAsync(_dataSource, name, cancellationToken).ConfigureAwait(false) == 0,
                };
            }
            finally
            {
                await UnlockAsync(connection, name, exclusive: false).ConfigureAwait(false);
            }
        }));
    }

    /// <inheritdoc />
    /// <remarks>The store is a <see cref="PostgresEventStore"/> holding a lock on its schema, shared or exclusive, for as long as it is open.</remarks>
    /// <exception cref="AnnalsException">The schema holds tables of another kind.</exception>
    public async ValueTask<IEventStore> OpenAsync(string name, StoreOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        options ??= new StoreOpenOptions();
        return await PostgresEventStore.OpenAsync(_template.For(name, options.Exclusive), options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Drops the schema with <c>DROP SCHEMA … CASCADE</c>, holding the schema's exclusive lock.</remarks>
    /// <exception cref="AnnalsException">The schema holds tables of another kind, which are left as they are.</exception>
    public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        return new(RunAsync(name, async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresStoreLock.TakeOnAsync(connection, name, exclusive: true, "deleted", cancellationToken).ConfigureAwait(false);
            try
            {
                switch (await PostgresSchema.InspectAsync(connection, name, cancellationToken).ConfigureAwait(false))
                {
                    case PostgresSchemaKind.Missing or PostgresSchemaKind.Empty:
                        return false;
                    case PostgresSchemaKind.Foreign:
                        throw Foreign(name);
                }

                // The name passed the store name rule: it needs no quoting.
                await using var drop = new NpgsqlCommand($"DROP SCHEMA {name} CASCADE", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            finally
            {
                await UnlockAsync(connection, name, exclusive: true).ConfigureAwait(false);
            }
        }));
    }

    /// <summary>Closes the provider's connections, if it made its own data source; stores it opened stay open.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The error of a schema that holds tables of another kind.</summary>
    internal static AnnalsException Foreign(string schema) =>
        new($"The schema '{schema}' holds tables that are not an Annals store; it is left as it is. Choose another name.");

    /// <summary>Releases a lock taken on a pooled connection before it goes back to the pool, which would keep it otherwise.</summary>
    private static async Task UnlockAsync(NpgsqlConnection connection, string schema, bool exclusive)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            // A broken connection is closed for good, and its session's locks end with it.
            return;
        }

        await using var unlock = new NpgsqlCommand(exclusive ? "SELECT pg_advisory_unlock($1)" : "SELECT pg_advisory_unlock_shared($1)", connection);
        unlock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresLockKey.Of(schema) });
        await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Runs work against the server, so that no driver error escapes: they become the store's errors.</summary>
    private static async Task<T> RunAsync<T>(string store, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresErrors.Translate(e, store) is var translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }
}
