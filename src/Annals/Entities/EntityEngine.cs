using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annals.Entities;

/// <summary>
/// Hosts entities: each handles one command at a time from its own mailbox, recovers its state from the store on its
/// first command, snapshots by strategy, and is released when idle. Different entities run in parallel.
/// </summary>
/// <remarks>
/// Register every category, then <see cref="StartAsync"/>. Several engines, in one process or many, may host the same
/// entity on one store: the store's expectations keep them consistent, and a command that loses a race is decided again
/// once on the reloaded entity.
/// </remarks>
public sealed partial class EntityEngine : ICommandSender, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, EntityKind> _kinds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StreamName, EntityHost> _live = new();
    private readonly CancellationTokenSource _aborted = new();
    private readonly EngineOptions _options;
    private int _state; // 0 not started, 1 running, 2 stopping or stopped

    /// <summary>Makes an engine over a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="codec">The type names and serializer for events and states.</param>
    /// <param name="options">Options; defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where log lines go; nowhere when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for command timeouts, idle timeouts and timed snapshots; the system clock when <see langword="null"/>.</param>
    /// <param name="meterFactory">Makes the <c>Annals.Entities</c> meter; a meter of its own when <see langword="null"/>.</param>
    public EntityEngine(IEventStore store, EventCodec codec, EngineOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(codec);
        _options = options ?? new EngineOptions();
        _options.Validate();
        Store = store;
        Codec = codec;
        // Each entity holds its own state in memory: the typed store's cache of folded states would only duplicate it.
        Typed = new TypedEventStore(store, codec, timeProvider, loggerFactory, DecisionCacheOptions.Disabled);
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EntityEngine>();
        Time = timeProvider ?? TimeProvider.System;
        Metrics = new EngineMetrics(meterFactory);
    }

    /// <summary>How many entities are in memory now.</summary>
    public int LiveEntities => _live.Count;

    internal IEventStore Store { get; }

    internal EventCodec Codec { get; }

    internal TypedEventStore Typed { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal EngineMetrics Metrics { get; }

    /// <summary>Cancelled when stopping ran out of time: queued commands fail instead of running.</summary>
    internal CancellationToken Aborted => _aborted.Token;

    /// <summary>Registers an event-sourced category: its entities are streams <c>category.id</c>, their behaviour a decider.</summary>
    /// <typeparam name="TCommand">The commands.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events; their types must be registered in the codec's registry.</typeparam>
    /// <param name="category">The stream category.</param>
    /// <param name="behavior">Decides a command's events (throwing rejects it) and folds events into the state.</param>
    /// <param name="options">Idle timeout, mailbox and snapshots; engine defaults when <see langword="null"/>.</param>
    /// <returns>This engine.</returns>
    /// <exception cref="InvalidOperationException">The engine has started, or the category is registered already.</exception>
    public EntityEngine Register<TCommand, TState, TEvent>(string category, IDecider<TCommand, TState, TEvent> behavior, EntityOptions? options = null) =>
        Register(category, SynchronousDecider<TCommand, TState, TEvent>.Of(behavior), options);

    /// <summary>Registers an event-sourced category whose behaviour decides asynchronously (it may call out to validate a command): its entities are streams <c>category.id</c>.</summary>
    /// <typeparam name="TCommand">The commands.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events; their types must be registered in the codec's registry.</typeparam>
    /// <param name="category">The stream category.</param>
    /// <param name="behavior">Decides a command's events (throwing rejects it; the sender's deadline cancels it) and folds events into the state.</param>
    /// <param name="options">Idle timeout, mailbox and snapshots; engine defaults when <see langword="null"/>.</param>
    /// <returns>This engine.</returns>
    /// <exception cref="InvalidOperationException">The engine has started, or the category is registered already.</exception>
    public EntityEngine Register<TCommand, TState, TEvent>(string category, IAsyncDecider<TCommand, TState, TEvent> behavior, EntityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        options = Checked(category, options);
        if (options.Snapshots != SnapshotStrategy.None)
        {
            Codec.Registry.Get(typeof(TState));
        }

        return Add(new EventSourcedKind<TCommand, TState, TEvent>(category, behavior, options.Snapshots, IdleTimeoutOf(options), MailboxCapacityOf(options)));
    }

    /// <summary>Registers a durable-state category: its entities keep only their latest state, under the key <c>category.id</c>.</summary>
    /// <typeparam name="TCommand">The commands.</typeparam>
    /// <typeparam name="TState">The state; its type must be registered in the codec's registry.</typeparam>
    /// <param name="category">The key category.</param>
    /// <param name="behavior">Handles a command into a new state and version (throwing rejects it).</param>
    /// <param name="options">Idle timeout and mailbox; engine defaults when <see langword="null"/>.</param>
    /// <returns>This engine.</returns>
    /// <exception cref="InvalidOperationException">The engine has started, or the category is registered already.</exception>
    /// <exception cref="UnregisteredTypeException"><typeparamref name="TState"/> is not registered.</exception>
    public EntityEngine RegisterDurableState<TCommand, TState>(string category, IDurableStateBehavior<TCommand, TState> behavior, EntityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        return RegisterDurableState(category, new SynchronousDurableStateBehavior<TCommand, TState>(behavior), options);
    }

    /// <summary>Registers a durable-state category whose behaviour handles commands asynchronously (it may call out to validate a command): its entities keep only their latest state, under the key <c>category.id</c>.</summary>
    /// <typeparam name="TCommand">The commands.</typeparam>
    /// <typeparam name="TState">The state; its type must be registered in the codec's registry.</typeparam>
    /// <param name="category">The key category.</param>
    /// <param name="behavior">Handles a command into a new state and version (throwing rejects it; the sender's deadline cancels it).</param>
    /// <param name="options">Idle timeout and mailbox; engine defaults when <see langword="null"/>.</param>
    /// <returns>This engine.</returns>
    /// <exception cref="InvalidOperationException">The engine has started, or the category is registered already.</exception>
    /// <exception cref="UnregisteredTypeException"><typeparamref name="TState"/> is not registered.</exception>
    public EntityEngine RegisterDurableState<TCommand, TState>(string category, IAsyncDurableStateBehavior<TCommand, TState> behavior, EntityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        options = Checked(category, options);
        Codec.Registry.Get(typeof(TState));
        return Add(new DurableStateKind<TCommand, TState>(category, behavior, IdleTimeoutOf(options), MailboxCapacityOf(options)));
    }

    /// <summary>Starts accepting commands.</summary>
    /// <param name="cancellationToken">Not used; starting does no I/O (entities recover on their first command).</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="InvalidOperationException">The engine was started before.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The entity engine was started before; an engine starts once.");
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops: no new commands; queued commands finish within <see cref="EngineOptions.StopTimeout"/>, and any still queued then fail with <see cref="EngineStoppedException"/>. Nothing acknowledged is lost.</summary>
    /// <param name="cancellationToken">Ends the wait early, as the timeout does.</param>
    /// <returns>A task that completes when every entity has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        var hosts = _live.Values.ToList();
        EngineLog.Stopping(Logger, hosts.Count);
        foreach (var host in hosts)
        {
            host.Close();
        }

        var all = Task.WhenAll(hosts.Select(h => h.Completion));
        try
        {
            await all.WaitAsync(_options.StopTimeout, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            await _aborted.CancelAsync().ConfigureAwait(false);
            EngineLog.StopTimedOut(Logger, hosts.Sum(h => h.FailQueued()));
            await all.ConfigureAwait(false);
        }

        CompleteSubscribers();
    }

    /// <summary>Stops the engine (as <see cref="StopAsync"/>) and releases its meter.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Metrics.Dispose();
        _aborted.Dispose();
    }

    /// <summary>Removes a passivated host, unless another host has already taken its place.</summary>
    /// <summary>The command and state types of a registered category, for a host that carries commands between processes.</summary>
    internal bool TryGetTypes(string category, out Type commandType, out Type stateType)
    {
        if (_kinds.TryGetValue(category, out var kind))
        {
            (commandType, stateType) = (kind.CommandType, kind.StateType);
            return true;
        }

        (commandType, stateType) = (typeof(object), typeof(object));
        return false;
    }

    /// <summary>Releases an entity from memory once its queued commands are handled, as if it had been idle: its owner elsewhere (a cluster's placement) has let it go.</summary>
    internal void Release(StreamName entity)
    {
        if (_live.TryGetValue(entity, out var host))
        {
            host.Release();
        }
    }

    internal void Forget(EntityHost host) => _live.TryRemove(new KeyValuePair<StreamName, EntityHost>(host.Id, host));

    private EntityOptions Checked(string category, EntityOptions? options)
    {
        NameChecks.Category(category);
        options ??= new EntityOptions();
        options.Validate();
        if (Volatile.Read(ref _state) != 0)
        {
            throw new InvalidOperationException("Categories are registered before the engine starts.");
        }

        return options;
    }

    private TimeSpan IdleTimeoutOf(EntityOptions options) => options.IdleTimeout ?? _options.IdleTimeout;

    private int MailboxCapacityOf(EntityOptions options) => options.MailboxCapacity ?? _options.MailboxCapacity;

    private EntityEngine Add(EntityKind kind)
    {
        if (!_kinds.TryAdd(kind.Category, kind))
        {
            throw new InvalidOperationException($"The category '{kind.Category}' is registered already.");
        }

        return this;
    }
}
