using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annals.Projections;

/// <summary>
/// Runs projections: each a named handler over a filter, catching up from its checkpoint and then following the log
/// live, one batch at a time, with its checkpoint committed with what the handler wrote. Projections can be added,
/// removed, paused, resumed and rebuilt while the host runs. With <see cref="ProjectionHostOptions.Leases"/>, each
/// projection runs in one process at a time.
/// </summary>
/// <remarks>An <see cref="IHostedService"/>: register it with a generic host, or call <see cref="StartAsync"/> and <see cref="StopAsync"/>.</remarks>
public sealed class ProjectionHost : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ProjectionRunner> _runners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PartitionGroup> _groups = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly IEventStore _store;
    private readonly ProjectionHostOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ProjectionMetrics _metrics;
    private bool _running;

    /// <summary>Makes a host over a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="options">Leases and intervals; defaults (no leases) when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where log lines go; nowhere when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for retries, leases and lag; the system clock when <see langword="null"/>.</param>
    /// <param name="meterFactory">Makes the <c>Annals.Projections</c> meter; a meter of its own when <see langword="null"/>.</param>
    public ProjectionHost(IEventStore store, ProjectionHostOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _options = options ?? new ProjectionHostOptions();
        _options.Validate();
        _store = store;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ProjectionHost>();
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new ProjectionMetrics(meterFactory);
    }

    /// <summary>The names of the projections added; a partitioned projection is listed by its partitions, <c>&lt;name&gt;/p&lt;k&gt;</c>.</summary>
    public IReadOnlyCollection<string> Projections => [.. _runners.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds a projection; it starts at once when the host is running.</summary>
    /// <param name="name">Its name, which names its checkpoint, lease and parked events (<c>[A-Za-z0-9_.:/-]</c>, at most 180 characters).</param>
    /// <param name="projection">Its handler.</param>
    /// <param name="options">Its filter, batches and failure policy; defaults when <see langword="null"/>.</param>
    /// <returns>This host.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="InvalidOperationException">A projection of that name was added already.</exception>
    public ProjectionHost Add(string name, IProjection projection, ProjectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(projection);
        CheckName(name);
        options ??= new ProjectionOptions();
        options.Validate();
        lock (_gate)
        {
            if (_runners.ContainsKey(name) || _groups.ContainsKey(name))
            {
                throw new InvalidOperationException($"A projection named '{name}' was added to this host already.");
            }

            if (options.Partitions == 1)
            {
                var runner = new ProjectionRunner(name, projection, options, _options, _store, _logger, _time, _metrics);
                _runners[name] = runner;
                if (_running)
                {
                    runner.Start();
                }

                return this;
            }

            var membership = _options.Leases is { } leases ? new GroupMembership(name, options.Partitions, leases, _options, _time) : null;
            var group = new PartitionGroup(membership, [.. Enumerable.Range(0, options.Partitions).Select(k => $"{name}/p{k}")]);
            for (var k = 0; k < options.Partitions; k++)
            {
                _runners[group.Partitions[k]] = new ProjectionRunner(group.Partitions[k], projection, options, _options, _store, _logger, _time, _metrics, new PartitionSpec(k, options.Partitions, membership));
            }

            _groups[name] = group;
            if (_running)
            {
                group.Start();
                group.Partitions.ToList().ForEach(p => _runners[p].Start());
            }
        }

        return this;
    }

    /// <summary>Stops a projection and removes it from this host; its checkpoint, read model and parked events stay.</summary>
    /// <param name="name">The projection.</param>
    /// <returns><see langword="false"/> when no projection of that name was added.</returns>
    public async Task<bool> RemoveAsync(string name)
    {
        if (_groups.TryRemove(name, out var group))
        {
            var removed = group.Partitions.Select(p => _runners.TryRemove(p, out var runner) ? runner : null).OfType<ProjectionRunner>().ToList();
            await Task.WhenAll(removed.Select(r => r.StopAsync())).ConfigureAwait(false);
            await group.StopAsync().ConfigureAwait(false);
            return true;
        }

        if (!_runners.TryRemove(name, out var single))
        {
            return false;
        }

        await single.StopAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>A projection's status: state, checkpoint, lag and last error.</summary>
    /// <param name="name">The projection.</param>
    /// <param name="cancellationToken">Cancels the look-up of the lag.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ArgumentException">No projection of that name was added.</exception>
    /// <remarks>A partitioned projection has a status per partition, named <c>&lt;name&gt;/p&lt;k&gt;</c>.</remarks>
    public async Task<ProjectionStatus> GetStatusAsync(string name, CancellationToken cancellationToken = default)
    {
        var runner = Runner(name);
        return await runner.StatusAsync(await _store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status of every projection, by name.</summary>
    /// <param name="cancellationToken">Cancels the look-ups of the lag.</param>
    /// <returns>The statuses.</returns>
    public async Task<IReadOnlyList<ProjectionStatus>> GetStatusesAsync(CancellationToken cancellationToken = default)
    {
        var statuses = new List<ProjectionStatus>();
        var head = await _store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in Projections)
        {
            if (_runners.TryGetValue(name, out var runner))
            {
                statuses.Add(await runner.StatusAsync(head, cancellationToken).ConfigureAwait(false));
            }
        }

        return statuses;
    }

    /// <summary>Pauses a projection after its current batch is abandoned (its checkpoint stays where the last commit left it); its lease is released.</summary>
    /// <param name="name">The projection.</param>
    public void Pause(string name) => Runners(name).ForEach(r => r.Pause());

    /// <summary>Resumes a paused or faulted projection from its checkpoint.</summary>
    /// <param name="name">The projection.</param>
    public void Resume(string name) => Runners(name).ForEach(r => r.Resume());

    /// <summary>
    /// Rebuilds a projection. An <see cref="ISideBySideProjection"/> fills its next generation from the start of the log
    /// while the current one keeps serving; once it has caught up with the log as it was when the rebuild began, the
    /// projection pauses for the switch, readers are pointed at the new generation in one commit with the record of it,
    /// the projection goes on in the new generation, and the old one is dropped. Any other projection has its handler's
    /// <see cref="IProjection.ResetAsync"/>, its parked events and its checkpoint cleared in one commit, and replays the
    /// log from the start. Either also resumes a paused or faulted projection.
    /// </summary>
    /// <param name="name">The projection.</param>
    /// <param name="cancellationToken">Stops waiting; the rebuild goes on.</param>
    /// <returns>A task that completes once a side-by-side rebuild has switched generations, or once a reset is committed (the replay then runs in the background).</returns>
    /// <exception cref="InvalidOperationException">The projection is partitioned: its read model is shared by partitions that may run in other processes.</exception>
    public Task RebuildAsync(string name, CancellationToken cancellationToken = default)
    {
        var runners = Runners(name);
        if (runners is not [{ IsPartition: false } runner])
        {
            throw new InvalidOperationException($"'{name}' is partitioned, and a rebuild needs every member of its group stopped: remove it everywhere, clear its read model, and add it under a new name.");
        }

        return runner.Handler is ISideBySideProjection sideBySide
            ? RebuildSideBySideAsync(runner, sideBySide, cancellationToken)
            : runner.RebuildAsync().WaitAsync(cancellationToken);
    }

    private async Task RebuildSideBySideAsync(ProjectionRunner primary, ISideBySideProjection handler, CancellationToken cancellationToken)
    {
        var name = primary.Name;
        var current = await _store.ReadCheckpointAsync(ProjectionRunner.GenerationConsumer(name), cancellationToken).ConfigureAwait(false);
        var next = (current ?? 0) + 1;
        var consumer = ProjectionRunner.ConsumerOf(name, next);

        // Leftovers of a rebuild of this generation that did not finish go first.
        var clear = new CommitBatch();
        await handler.DropAsync(next, clear, cancellationToken).ConfigureAwait(false);
        if (await _store.ReadCheckpointAsync(consumer, cancellationToken).ConfigureAwait(false) is { } stale && stale > 0)
        {
            clear.SaveCheckpoint(consumer, 0, stale);
        }

        if (clear.Operations.Count > 0)
        {
            await _store.CommitWholeOrInPartsAsync(clear, cancellationToken).ConfigureAwait(false);
        }

        var head = await _store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var shadow = new ProjectionRunner(consumer, handler, primary.Options, _options, _store, _logger, _time, _metrics, generation: next);
        if (!_runners.TryAdd(consumer, shadow))
        {
            throw new InvalidOperationException($"Projection '{name}' is being rebuilt already.");
        }

        try
        {
            shadow.Start();
            await shadow.WaitForPositionAsync(head, cancellationToken).ConfigureAwait(false);

            // The switch: nothing is handled while readers move to the new generation.
            primary.Pause();
            await primary.WaitUntilIdleAsync(cancellationToken).ConfigureAwait(false);
            await shadow.StopAsync().ConfigureAwait(false);
            var activate = new CommitBatch();
            await handler.ActivateAsync(next, activate, cancellationToken).ConfigureAwait(false);
            activate.SaveCheckpoint(ProjectionRunner.GenerationConsumer(name), next, current);
            await _store.CommitWholeOrInPartsAsync(activate, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await shadow.StopAsync().ConfigureAwait(false);
            _runners.TryRemove(new KeyValuePair<string, ProjectionRunner>(consumer, shadow));
            primary.Resume();
        }

        var drop = new CommitBatch();
        await handler.DropAsync(next - 1, drop, cancellationToken).ConfigureAwait(false);
        if (drop.Operations.Count > 0)
        {
            await _store.CommitWholeOrInPartsAsync(drop, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until a projection has handled every event of its filter at or before a position.</summary>
    /// <param name="name">The projection.</param>
    /// <param name="position">The log position, as a commit returned it.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the projection has reached the position.</returns>
    public Task WaitForPositionAsync(string name, long position, CancellationToken cancellationToken = default) =>
        Task.WhenAll(Runners(name).Select(r => r.WaitForPositionAsync(position, cancellationToken)));

    /// <summary>Starts every projection added, and those added later.</summary>
    /// <param name="cancellationToken">Not used: projections start in the background.</param>
    /// <returns>A completed task.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _running = true;
            foreach (var runner in _runners.Values)
            {
                runner.Start();
            }

            foreach (var group in _groups.Values)
            {
                group.Start();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops every projection: the batch in hand is abandoned (it is delivered again on the next start) and leases are released.</summary>
    /// <param name="cancellationToken">
    /// Ends the wait, as a generic host does when its shutdown timeout passes: the projections still stop, in the
    /// background, and a commit already sent completes or fails in the store as it would have.
    /// </param>
    /// <returns>A task that completes when every projection has stopped.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before every projection had stopped.</exception>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _running = false;
        }

        return StopAllAsync().WaitAsync(cancellationToken);
    }

    private async Task StopAllAsync()
    {
        await Task.WhenAll(_runners.Values.Select(r => r.StopAsync())).ConfigureAwait(false);
        await Task.WhenAll(_groups.Values.Select(g => g.StopAsync())).ConfigureAwait(false);
    }

    /// <summary>Stops the host (as <see cref="StopAsync"/>) and releases its meter.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }

    private static void CheckName(string name)
    {
        NameChecks.Consumer(name);
        if (name.Length > 180)
        {
            throw new InvalidNameException(NameKind.Consumer, name, "a projection's name is at most 180 characters, so that its lease, partition and parked-event queue names fit");
        }
    }

    /// <summary>The runner of a projection, or the partitions' runners of a partitioned one.</summary>
    private List<ProjectionRunner> Runners(string name) =>
        _groups.TryGetValue(name, out var group) ? [.. group.Partitions.Select(Runner)] : [Runner(name)];

    private ProjectionRunner Runner(string name) =>
        _runners.TryGetValue(name, out var runner) ? runner : throw new ArgumentException($"No projection named '{name}' was added to this host.", nameof(name));
}
