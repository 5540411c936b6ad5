using System.Diagnostics.Metrics;
using Annals.Deciders;
using Annals.Entities;
using Annals.InMemory;
using Annals.Leases;
using Annals.Nats;
using Annals.Postgres;
using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;
using Annals.Sqlite;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Annals.Hosting;

/// <summary>
/// One hosted store and what runs on it: opened by <see cref="OpenAsync"/>, closed by <see cref="CloseAsync"/>. Made
/// without I/O, since the host builds every hosted service before it starts the first.
/// </summary>
internal sealed class StoreRuntime : IAsyncDisposable, IDisposable
{
    private readonly StoreSetup _setup;
    private readonly IServiceProvider _services;
    private readonly Lazy<EventCodec> _codec;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Opened? _opened;
    private bool _closed;

    public StoreRuntime(StoreSetup setup, IServiceProvider services)
    {
        _setup = setup;
        _services = services;
        _codec = new Lazy<EventCodec>(MakeCodec);
    }

    public string Name => _setup.Name;

    public bool IsOpen => _opened is not null;

    public TypeRegistry Registry => _codec.Value.Registry;

    public EventCodec Codec => _codec.Value;

    public IEventStore Store => Current.Store;

    public TypedEventStore Typed => Current.Typed;

    public EntityEngine Engine => _setup.Entities.Count > 0
        ? Current.Engine
        : throw new InvalidOperationException($"No entities are registered on {StoreNames.Describe(Name)}: call AddEntities on its AnnalsBuilder to host an entity engine.");

    public ProjectionHost Projections => Current.Projections;

    public ProcessHost Processes => Current.Processes;

    /// <summary>The names of the projections registered on the store.</summary>
    public IReadOnlyList<string> ProjectionNames => [.. _setup.Projections.Select(p => p.Name)];

    public AnnalsOptions Options => _services.GetRequiredService<IOptionsMonitor<AnnalsOptions>>().Get(Name);

    private Opened Current => _opened ?? throw new InvalidOperationException(
        _closed
            ? $"{StoreNames.Describe(Name)} is closed: the host has stopped."
            : $"{StoreNames.Describe(Name)} is not open yet: it opens when the host starts (IHost.StartAsync or RunAsync); resolve the store, and what runs on it, after that.");

    /// <summary>Opens the store (its backend creates or migrates the schema), then starts the entity engine and the projection host.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_opened is not null)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_closed, this);
            var options = Options;
            var store = await OpenStoreAsync(options, cancellationToken).ConfigureAwait(false);
            try
            {
                _opened = await StartAsync(store, options.Projections, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await store.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the projections, then the entity engine, then closes the store.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _closed = true;
            if (_opened is not { } opened)
            {
                return;
            }

            _opened = null;
            try
            {
                await opened.Processes.StopAsync(cancellationToken).ConfigureAwait(false);
                await opened.Projections.StopAsync(cancellationToken).ConfigureAwait(false);
                await opened.Engine.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await opened.Processes.DisposeAsync().ConfigureAwait(false);
                await opened.Projections.DisposeAsync().ConfigureAwait(false);
                await opened.Engine.DisposeAsync().ConfigureAwait(false);
                await opened.Store.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(CancellationToken.None).ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>A container disposed synchronously still closes the store, rather than failing on a service that is only asynchronously disposable.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<IEventStore> OpenStoreAsync(AnnalsOptions options, CancellationToken cancellationToken) => options.Backend switch
    {
        AnnalsBackend.Sqlite => await SqliteEventStore.OpenAsync(options.Sqlite, cancellationToken).ConfigureAwait(false),
        AnnalsBackend.Postgres => await PostgresEventStore.OpenAsync(options.Postgres, cancellationToken).ConfigureAwait(false),
        AnnalsBackend.Nats => await NatsEventStore.OpenAsync(options.Nats, cancellationToken).ConfigureAwait(false),
        AnnalsBackend.InMemory => new InMemoryEventStore(options.InMemory),
        _ => throw new InvalidOperationException($"{StoreNames.Section(Name)}:Backend is required: Sqlite, Postgres, Nats or InMemory."),
    };

    private async Task<Opened> StartAsync(IEventStore store, AnnalsProjectionOptions projectionOptions, CancellationToken cancellationToken)
    {
        var loggerFactory = _services.GetService<ILoggerFactory>();
        var time = _services.GetService<TimeProvider>();
        var meterFactory = _services.GetService<IMeterFactory>();
        var engine = new EntityEngine(store, Codec, _setup.EngineOptions, loggerFactory, time, meterFactory);
        var hostOptions = ProjectionHostOptionsFor(store, projectionOptions);
        var projections = new ProjectionHost(store, hostOptions, loggerFactory, time, meterFactory);
        var processes = new ProcessHost(store, Codec, hostOptions, loggerFactory, time, meterFactory);
        var opened = new Opened(store, new TypedEventStore(store, Codec, time, loggerFactory), engine, projections, processes);
        try
        {
            foreach (var register in _setup.Entities)
            {
                register(engine, _services);
            }

            // From here on the store's services resolve: a projection's handler may take them in its constructor, and its
            // first batch, which may come before the host has finished starting, may use them.
            _opened = opened;
            foreach (var projection in _setup.Projections)
            {
                var handler = (IProjection)ActivatorUtilities.GetServiceOrCreateInstance(_services, projection.HandlerType);
                projections.Add(projection.Name, handler, projection.Options);
            }

            if (_setup.Entities.Count > 0)
            {
                processes.Routes.ToEntities(engine);
            }

            foreach (var register in _setup.Processes)
            {
                register(processes, _services);
            }

            // Entities first: a projection or a process may send them commands as soon as it runs.
            if (_setup.Entities.Count > 0)
            {
                await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            await projections.StartAsync(cancellationToken).ConfigureAwait(false);
            await processes.StartAsync(cancellationToken).ConfigureAwait(false);
            return opened;
        }
        catch
        {
            _opened = null;
            await processes.DisposeAsync().ConfigureAwait(false);
            await projections.DisposeAsync().ConfigureAwait(false);
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Leases from the store when asked for, or by default on PostgreSQL, the one backend that processes share.</summary>
    private static ProjectionHostOptions ProjectionHostOptionsFor(IEventStore store, AnnalsProjectionOptions options)
    {
        ILeaseManager? leases = store switch
        {
            PostgresEventStore postgres when options.UseLeases != false => postgres.Leases,
            InMemoryEventStore inMemory when options.UseLeases == true => inMemory.Leases,
            _ => null,
        };
        return new ProjectionHostOptions { Leases = leases, LeaseDuration = options.LeaseDuration };
    }

    private EventCodec MakeCodec()
    {
        var registry = new TypeRegistry();
        foreach (var register in _setup.Types)
        {
            register(registry);
        }

        return new EventCodec(registry);
    }

    private sealed record Opened(IEventStore Store, TypedEventStore Typed, EntityEngine Engine, ProjectionHost Projections, ProcessHost Processes);
}
