using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annals.Processes;

/// <summary>
/// Runs process managers: each feeds on its events as a checkpointed projection (named <c>process:&lt;name&gt;</c>),
/// storing every instance's state, commands and timeouts with its checkpoint, and delivers the commands and hands back the
/// timeouts as they come due. With <see cref="ProjectionHostOptions.Leases"/>, each process's events are handled, and its
/// commands and timeouts delivered, by one owner at a time (leases <c>projection:process:&lt;name&gt;</c> and <c>process:&lt;name&gt;</c>).
/// </summary>
/// <remarks>An <see cref="IHostedService"/>: register it with a generic host, or call <see cref="StartAsync"/> and <see cref="StopAsync"/>.</remarks>
public sealed class ProcessHost : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IProcessRunner> _runners = new(StringComparer.Ordinal);
    private readonly IEventStore _store;
    private readonly EventCodec _codec;
    private readonly ProjectionHost _projections;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ProjectionHostOptions _options;
    private readonly ProcessMetrics _metrics;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;
    private List<Task> _loops = [];

    /// <summary>Makes a host over a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="codec">The types of the events, states, commands and timeouts.</param>
    /// <param name="options">Leases and intervals of the projections that feed the processes; defaults (no leases) when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where log lines go; nowhere when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of timeouts, retries and leases; the system clock when <see langword="null"/>.</param>
    /// <param name="meterFactory">Makes the <c>Annals.Processes</c> meter and the projections'; meters of their own when <see langword="null"/>.</param>
    public ProcessHost(IEventStore store, EventCodec codec, ProjectionHostOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(codec);
        _store = store;
        _codec = codec;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ProcessHost>();
        _options = options ?? new ProjectionHostOptions();
        _metrics = new ProcessMetrics(meterFactory);
        _projections = new ProjectionHost(store, _options, loggerFactory, _time, meterFactory);
    }

    /// <summary>Where the processes' commands are delivered: entities, deciders, application handlers.</summary>
    public CommandRoutes Routes { get; } = new();

    /// <summary>The names of the processes added.</summary>
    public IReadOnlyCollection<string> Processes => [.. _runners.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds a process; it starts at once when the host is running.</summary>
    /// <typeparam name="TState">An instance's state.</typeparam>
    /// <param name="name">Its name: 1 to 48 letters, digits, '_' or '-'. It names its checkpoint, queues and instances' state.</param>
    /// <param name="process">The process.</param>
    /// <param name="options">Batches, polling and retries; defaults when <see langword="null"/>.</param>
    /// <returns>This host.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="InvalidOperationException">A process of that name was added already.</exception>
    public ProcessHost Add<TState>(string name, IProcess<TState> process, ProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        return Add(name, new SyncProcess<TState>(process), options);
    }

    /// <summary>Adds a process whose steps may call out; it starts at once when the host is running.</summary>
    /// <typeparam name="TState">An instance's state.</typeparam>
    /// <param name="name">Its name.</param>
    /// <param name="process">The process.</param>
    /// <param name="options">Batches, polling and retries; defaults when <see langword="null"/>.</param>
    /// <returns>This host.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="InvalidOperationException">A process of that name was added already.</exception>
    /// <remarks>The state is stored through the codec's registry; an unregistered state type is registered as <c>process-&lt;name&gt;-state</c>.</remarks>
    public ProcessHost Add<TState>(string name, IAsyncProcess<TState> process, ProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        ProcessNames.CheckProcess(name);
        options ??= new ProcessOptions();
        options.Validate();

        // The state is stored through the registry, as a snapshot is; a state type nobody registered gets a name of the process's.
        if (!_codec.Registry.IsRegistered(typeof(TState)))
        {
            _codec.Registry.Register<TState>($"process-{name}-state");
        }

        var instances = new InstanceStore<TState>(_store, _codec, name, process.InitialState);
        var runner = new ProcessRunner<TState>(name, process, instances, _store, Routes, options, _time, _logger, _metrics);
        lock (_gate)
        {
            if (!_runners.TryAdd(name, runner))
            {
                throw new InvalidOperationException($"A process named '{name}' was added already.");
            }

            // Catch-up batches too keep to the process's batch size: a batch's commands and timeouts wait for its commit,
            // and a crash hands the whole batch to the steps again.
            _projections.Add(
                ProcessNames.Projection(name),
                new ProcessProjection<TState>(process, instances, _codec, _time, runner.Wake, runner.EventsHandled),
                new ProjectionOptions { Filter = process.Filter, BatchSize = options.BatchSize, CatchUpBatchSize = options.BatchSize, OnFailure = FailurePolicy.Stop });
            if (_running is { } running)
            {
                _loops.Add(RunAsync(runner, running.Token));
            }
        }

        return this;
    }

    /// <summary>A process's status: its event side (a projection's), and its pending and parked commands and timeouts.</summary>
    /// <param name="name">The process.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ArgumentException">No process of that name was added.</exception>
    public async Task<ProcessStatus> GetStatusAsync(string name, CancellationToken cancellationToken = default)
    {
        var runner = Runner(name);
        var events = await _projections.GetStatusAsync(ProcessNames.Projection(name), cancellationToken).ConfigureAwait(false);
        var (commands, parkedCommands) = await CountAsync(runner.CommandQueue, cancellationToken).ConfigureAwait(false);
        var (timeouts, parkedTimeouts) = await CountAsync(runner.TimeoutQueue, cancellationToken).ConfigureAwait(false);
        return new ProcessStatus(name, events, commands, timeouts, parkedCommands + parkedTimeouts);
    }

    // Counted where they are stored: a process may hold a timeout for each of millions of instances, and its status
    // is read by every health probe. A parked message is due at NotDue, so the parked are all less the pending; the two
    // counts are separate reads, and a command delivered and removed between them would count as a parked one less.
    // So the pending count is taken between two counts of all, and kept only when no message came or went meanwhile.
    private async Task<(int Pending, int Parked)> CountAsync(string queue, CancellationToken cancellationToken)
    {
        long pending = 0, all = 0;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = await _store.CountDueMessagesAsync(queue, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
            pending = await _store.CountDueMessagesAsync(queue, ParkedEvents.NotDue.AddTicks(-1), cancellationToken).ConfigureAwait(false);
            all = await _store.CountDueMessagesAsync(queue, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
            if (all == before)
            {
                break;
            }
        }

        return (Saturated(pending), Saturated(Math.Max(0, all - pending)));
    }

    private static int Saturated(long count) => (int)Math.Min(count, int.MaxValue);

    /// <summary>Waits until the process has handled every event up to a position (its commands may still be on their way).</summary>
    /// <param name="name">The process.</param>
    /// <param name="position">The position.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the process's checkpoint is at or past the position.</returns>
    /// <exception cref="ArgumentException">No process of that name was added.</exception>
    public Task WaitForPositionAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        Runner(name);
        return _projections.WaitForPositionAsync(ProcessNames.Projection(name), position, cancellationToken);
    }

    /// <summary>Pauses a process's event side; what it already queued is still delivered.</summary>
    /// <param name="name">The process.</param>
    /// <exception cref="ArgumentException">No process of that name was added.</exception>
    public void Pause(string name)
    {
        Runner(name);
        _projections.Pause(ProcessNames.Projection(name));
    }

    /// <summary>Resumes a paused process.</summary>
    /// <param name="name">The process.</param>
    /// <exception cref="ArgumentException">No process of that name was added.</exception>
    public void Resume(string name)
    {
        Runner(name);
        _projections.Resume(ProcessNames.Projection(name));
    }

    /// <summary>Starts every process: its event side from its checkpoint, and its deliveries.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when they run.</returns>
    /// <exception cref="NotSupportedException">
    /// The store cannot commit an instance's state, commands, timeouts and checkpoint in one atomic batch (see
    /// <see cref="StoreCapabilities"/>), which exactly-once handling needs.
    /// </exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var capabilities = _store.Capabilities;
        if (_runners.Count > 0 && !(capabilities.AtomicAcrossRecords && capabilities.AtomicEventsWithRecords))
        {
            throw new NotSupportedException(
                "Process managers need a store that commits an instance's state, commands, timeouts and checkpoint in one atomic batch, "
                + $"and this store does not ({capabilities.Notes}). Run them on a SQL store, or on NATS 2.12 or later.");
        }

        lock (_gate)
        {
            if (_running is not null)
            {
                return;
            }

            _running = new CancellationTokenSource();
            _loops = [.. _runners.Values.Select(r => RunAsync(r, _running.Token))];
        }

        await _projections.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every process: its event side after the batch in hand, and its deliveries after the message in hand.</summary>
    /// <param name="cancellationToken">Gives up waiting.</param>
    /// <returns>A task that completes when they have stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? running;
        List<Task> loops;
        lock (_gate)
        {
            running = _running;
            loops = _loops;
            _running = null;
            _loops = [];
        }

        await _projections.StopAsync(cancellationToken).ConfigureAwait(false);
        if (running is not null)
        {
            await running.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops).ConfigureAwait(false);
            running.Dispose();
        }
    }

    /// <summary>Stops the host.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _projections.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }

    private IProcessRunner Runner(string name) =>
        _runners.TryGetValue(name, out var runner) ? runner : throw new ArgumentException($"No process named '{name}' was added to this host.", nameof(name));

    /// <summary>Runs a process's deliveries until stopped; a failure of the store restarts them after a pause.</summary>
    private async Task RunAsync(IProcessRunner runner, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var run = _options.Leases is null
                    ? runner.RunAsync(cancellationToken)
                    : DeliveryLease.RunAsync(runner, _options, _time, _logger, cancellationToken);
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ProcessLog.DeliveriesRestarting(_logger, runner.Name, e);
                try
                {
                    await Task.Delay(Storage.Providers.Backoff.EqualJitter(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), ++failures, Random.Shared), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
