using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.EventSourcing;
using Orleans.Storage;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// Makes the log view adaptors of the journaled grains that name this provider: each grain's log is its own Annals
/// stream, in the store and through the codec the silo's services hold.
/// </summary>
internal sealed class AnnalsLogConsistencyProvider(IServiceProvider serviceProvider, AnnalsLogConsistencyOptions options) : ILogViewAdaptorFactory
{
    private readonly ILogger _logger = serviceProvider.GetService<ILoggerFactory>()?.CreateLogger("Annals.Orleans.LogConsistency") ?? NullLogger.Instance;

    /// <summary>The provider keeps its own streams; Orleans' grain storage is not used.</summary>
    public bool UsesStorageProvider => false;

    public ILogViewAdaptor<TLogView, TLogEntry> MakeLogViewAdaptor<TLogView, TLogEntry>(ILogViewAdaptorHost<TLogView, TLogEntry> hostGrain, TLogView initialState, string grainTypeName, IGrainStorage? grainStorage, ILogConsistencyProtocolServices services)
        where TLogView : class, new()
        where TLogEntry : class
    {
        ArgumentNullException.ThrowIfNull(hostGrain);
        ArgumentNullException.ThrowIfNull(services);

        // Resolved at each activation rather than once: a store opened by a hosted service is there by the time grains run.
        var store = Resolve<IEventStore>();
        var codec = ResolveOptional<EventCodec>() ?? new EventCodec(Resolve<TypeRegistry>());
        if (options.SnapshotEvery > 0 && !codec.Registry.IsRegistered(typeof(TLogView)))
        {
            throw new InvalidOperationException(
                $"{grainTypeName} keeps its state in snapshots every {options.SnapshotEvery} events, and its state type {typeof(TLogView).FullName} is not registered in the TypeRegistry: " +
                "register it (registry.Register<TState>(\"name\")), or set AnnalsLogConsistencyOptions.SnapshotEvery to 0.");
        }

        var stream = options.StreamFor is { } streamFor ? streamFor(services.GrainId) : AnnalsGrainStreams.For(services.GrainId, hostGrain.GetType());
        var time = serviceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        return new AnnalsLogViewAdaptor<TLogView, TLogEntry>(hostGrain, initialState, services, new GrainLog<TLogView, TLogEntry>(stream, store, codec), options.SnapshotEvery, time, _logger);
    }

    private T Resolve<T>()
        where T : notnull =>
        ResolveOptional<T>() ?? throw new InvalidOperationException(
            options.StoreName is { } name
                ? $"The Annals log-consistency provider needs a {typeof(T).Name} registered with the key '{name}' (AnnalsLogConsistencyOptions.StoreName), as AddAnnals(\"{name}\", …) registers it."
                : $"The Annals log-consistency provider needs a {typeof(T).Name} in the silo's services, as AddAnnals(…) registers it, or set AnnalsLogConsistencyOptions.StoreName to a named store's.");

    private T? ResolveOptional<T>()
        where T : notnull =>
        options.StoreName is { } name ? serviceProvider.GetKeyedService<T>(name) : serviceProvider.GetService<T>();
}
