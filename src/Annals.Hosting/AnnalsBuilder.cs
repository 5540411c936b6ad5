using System.Reflection;
using Annals.Entities;
using Annals.Nats;
using Annals.Hosting;
using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;
using Annals.Sqlite;
using NATS.Client.Core;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Sets up one hosted store: its backend, its types, its entities and its projections. Returned to the callback of
/// <see cref="AnnalsServiceCollectionExtensions.AddAnnals(IServiceCollection, Action{AnnalsBuilder})"/>.
/// </summary>
/// <remarks>
/// The backend chosen here is a default: the store's configuration section (<c>Annals</c>, or
/// <c>Annals:Stores:&lt;name&gt;</c>) overrides it, key by key.
/// </remarks>
public sealed class AnnalsBuilder
{
    private readonly StoreSetup _setup;

    internal AnnalsBuilder(IServiceCollection services, StoreSetup setup)
    {
        Services = services;
        _setup = setup;
    }

    /// <summary>The services the store is added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The store's name: empty for the default store, whose services are registered without a key; otherwise the key of its services.</summary>
    public string Name => _setup.Name;

    /// <summary>Keeps the store in one SQLite file, which this process owns while the host runs.</summary>
    /// <param name="path">The file; created with its schema when missing. A relative path is resolved from the current directory.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UseSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return UseSqlite(options => options.Path = path);
    }

    /// <summary>Keeps the store in one SQLite file, with options.</summary>
    /// <param name="configure">Sets the options: path, durability, group size…</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UseSqlite(Action<SqliteEventStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Configure(options =>
        {
            options.Backend = AnnalsBackend.Sqlite;
            configure(options.Sqlite);
        });
    }

    /// <summary>Keeps the store in a schema on a PostgreSQL server, through data sources the store builds from a connection string.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="schema">The schema holding the store's tables; created and migrated when the host starts.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UsePostgres(string connectionString, string schema = "annals")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return Configure(options =>
        {
            options.Backend = AnnalsBackend.Postgres;
            options.Postgres.ConnectionString = connectionString;
            options.Postgres.DataSource = null;
            options.Postgres.Schema = schema;
        });
    }

    /// <summary>Keeps the store in a schema on a PostgreSQL server, through a data source of the application's, which stays open when the store closes.</summary>
    /// <param name="dataSource">The data source: a pool of at least 3 and no multiplexing.</param>
    /// <param name="schema">The schema holding the store's tables; created and migrated when the host starts.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UsePostgres(NpgsqlDataSource dataSource, string schema = "annals")
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return Configure(options =>
        {
            options.Backend = AnnalsBackend.Postgres;
            options.Postgres.ConnectionString = string.Empty;
            options.Postgres.DataSource = dataSource;
            options.Postgres.Schema = schema;
        });
    }

    /// <summary>
    /// Keeps the store in a JetStream stream and key-value buckets on a NATS server, through a connection the store makes
    /// from a URL. The server cannot commit every batch atomically: see <see cref="Annals.Storage.StoreCapabilities"/>.
    /// </summary>
    /// <param name="url">The server's URL, such as <c>nats://127.0.0.1:4222</c>.</param>
    /// <param name="store">The store's name on the server, <c>[a-z][a-z0-9_]{0,62}</c>; created when the host starts if missing.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UseNats(string url, string store = "annals")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return UseNats(options =>
        {
            options.Url = url;
            options.Connection = null;
            options.Store = store;
        });
    }

    /// <summary>Keeps the store on a NATS server, through a connection of the application's, which stays open when the store closes.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="store">The store's name on the server; created when the host starts if missing.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UseNats(INatsConnection connection, string store = "annals")
    {
        ArgumentNullException.ThrowIfNull(connection);
        return UseNats(options =>
        {
            options.Connection = connection;
            options.Store = store;
        });
    }

    /// <summary>Keeps the store on a NATS server, with options.</summary>
    /// <param name="configure">Sets the options: URL or connection, store name, replicas, storage…</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UseNats(Action<NatsEventStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Configure(options =>
        {
            options.Backend = AnnalsBackend.Nats;
            configure(options.Nats);
        });
    }

    /// <summary>Keeps the store in memory: for tests and throwaway runs.</summary>
    /// <returns>This builder.</returns>
    public AnnalsBuilder UseInMemory() => Configure(options => options.Backend = AnnalsBackend.InMemory);

    /// <summary>Registers every type of an assembly marked with <see cref="EventTypeAttribute"/> in the store's type registry.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder AddTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return AddTypes(registry => registry.RegisterAssembly(assembly));
    }

    /// <summary>Registers types in the store's type registry; run once, when the registry is first needed.</summary>
    /// <param name="register">Registers the types.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder AddTypes(Action<TypeRegistry> register)
    {
        ArgumentNullException.ThrowIfNull(register);
        _setup.Types.Add(register);
        return this;
    }

    /// <summary>Hosts entities on the store: an <see cref="EntityEngine"/> is made and started when the host starts.</summary>
    /// <param name="register">Registers the entity categories on the engine, with the container at hand for their behaviours.</param>
    /// <param name="options">The engine's options; the defaults, or those of an earlier call, when <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder AddEntities(Action<EntityEngine, IServiceProvider> register, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(register);
        _setup.Entities.Add(register);
        _setup.EngineOptions = options ?? _setup.EngineOptions;
        return this;
    }

    /// <summary>Runs a projection on the store's <see cref="ProjectionHost"/> while the host runs.</summary>
    /// <typeparam name="TProjection">The handler: resolved from the container when the host starts, or made with its constructor's services when not registered.</typeparam>
    /// <param name="name">The projection's name, which names its checkpoint.</param>
    /// <param name="options">Its filter, batches and failure policy; defaults when <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A projection of that name was added to the store already.</exception>
    public AnnalsBuilder AddProjection<TProjection>(string name, ProjectionOptions? options = null)
        where TProjection : class, IProjection
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_setup.Projections.Any(p => p.Name == name))
        {
            throw new InvalidOperationException($"A projection named '{name}' was added to {StoreNames.Describe(Name)} already.");
        }

        _setup.Projections.Add(new ProjectionRegistration(name, typeof(TProjection), options));
        return this;
    }

    /// <summary>
    /// Runs process managers on the store: a <see cref="ProcessHost"/> is made and started when the host starts, after the
    /// entity engine (whose categories its commands reach without more ado) and stopped before it.
    /// </summary>
    /// <param name="register">Adds the processes, and the routes of their commands (deciders, application handlers), with the container at hand.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder AddProcesses(Action<ProcessHost, IServiceProvider> register)
    {
        ArgumentNullException.ThrowIfNull(register);
        _setup.Processes.Add(register);
        return this;
    }

    /// <summary>Runs one process manager on the store (see <see cref="AddProcesses"/>).</summary>
    /// <typeparam name="TState">An instance's state.</typeparam>
    /// <param name="name">The process's name, which names its checkpoint, queues and instances.</param>
    /// <param name="process">Makes the process, with the container at hand.</param>
    /// <param name="options">Batches, polling and retries; defaults when <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public AnnalsBuilder AddProcess<TState>(string name, Func<IServiceProvider, IProcess<TState>> process, ProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        return AddProcesses((host, services) => host.Add(name, process(services), options));
    }

    private AnnalsBuilder Configure(Action<AnnalsOptions> configure)
    {
        Services.Configure(Name, configure);
        return this;
    }
}
