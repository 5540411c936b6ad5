using Annals.Leases;
using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Extensions.Logging;

namespace Annals.Projections;

/// <summary>
/// One projection's loop: take its lease, rebuild if asked, read its checkpoint, then hand batches to the handler and
/// commit each with the checkpoint, until it is stopped, paused or faulted. A run that fails for any reason outside the
/// handler (store unavailable, lease lost, another owner's checkpoint) starts again from the stored checkpoint.
/// </summary>
internal sealed partial class ProjectionRunner
{
    private const long NoCheckpoint = -1;

    private readonly Lock _gate = new();
    private readonly IEventStore _store;
    private readonly IProjection _handler;
    private readonly ProjectionOptions _options;
    private readonly ProjectionHostOptions _hostOptions;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ProjectionMetrics _metrics;
    private readonly PartitionSpec? _partition;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _rebuild;
    private CancellationTokenSource? _run;
    private TaskCompletionSource _runEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;
    private bool _paused;
    private bool _faulted;
    private long _checkpoint = NoCheckpoint;
    private long _handled;
    private long _parkedCount;
    private volatile Exception? _lastError;
    private volatile ProjectionState _state = ProjectionState.Stopped;
    private readonly long? _fixedGeneration;
    private long _generation;
    private string _consumer;

    public ProjectionRunner(string name, IProjection handler, ProjectionOptions options, ProjectionHostOptions hostOptions, IEventStore store, ILogger logger, TimeProvider time, ProjectionMetrics metrics, PartitionSpec? partition = null, long? generation = null)
    {
        _partition = partition;
        _fixedGeneration = generation;
        _generation = generation ?? 0;
        _consumer = name;
        Name = name;
        _handler = handler;
        _options = options;
        _hostOptions = hostOptions;
        _store = store;
        _logger = logger;
        _time = time;
        _metrics = metrics;
    }

    public string Name { get; }

    /// <summary>Whether this runs one partition of a partitioned projection.</summary>
    public bool IsPartition => _partition is not null;

    /// <summary>The handler.</summary>
    public IProjection Handler => _handler;

    /// <summary>The checkpoint that records which generation of a side-by-side projection serves.</summary>
    public static string GenerationConsumer(string projection) => projection + "/generation";

    /// <summary>The checkpoint of one generation of a projection: its own name for generation 0.</summary>
    public static string ConsumerOf(string projection, long generation) =>
        generation == 0 ? projection : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{projection}/g{generation}");

    /// <summary>The projection's options.</summary>
    public ProjectionOptions Options => _options;

    /// <summary>Waits until the loop has let go of its run: paused, faulted or stopped, with no batch in hand.</summary>
    public Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _run is null ? Task.CompletedTask : _runEnded.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The state now.</summary>
    public ProjectionState State => _state;

    public long Position => Math.Max(0, Interlocked.Read(ref _checkpoint));

    /// <summary>The stored checkpoint as this run knows it: what the next commit expects.</summary>
    private long? Stored => Interlocked.Read(ref _checkpoint) is var c && c == NoCheckpoint ? null : c;

    public void Start()
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            _loop = Task.Run(() => LoopAsync(stop), CancellationToken.None);
        }
    }

    /// <summary>Stops the loop and waits until it has ended; a second call (say after the first stopped waiting) waits too.</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        Task loop;
        lock (_gate)
        {
            stop = _stop;
            _stop = null;
            loop = _loop;
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        await loop.ConfigureAwait(false);
        stop?.Dispose();
        lock (_gate)
        {
            _rebuild?.TrySetCanceled();
            _rebuild = null;
        }
    }

    public void Pause()
    {
        CancellationTokenSource? run;
        lock (_gate)
        {
            _paused = true;
            run = _run;
        }

        // Outside the lock: cancelling may run the loop's continuation on this thread.
        Cancel(run);
    }

    public void Resume()
    {
        lock (_gate)
        {
            _paused = false;
            _faulted = false;
            Wake();
        }
    }

    public Task RebuildAsync()
    {
        TaskCompletionSource rebuild;
        CancellationTokenSource? run;
        lock (_gate)
        {
            rebuild = _rebuild ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _paused = false;
            _faulted = false;
            run = _run;
            Wake();
        }

        Cancel(run);
        return rebuild.Task;
    }

    /// <summary>The status against the log's head, read by the caller (once for all projections of a host).</summary>
    public async Task<ProjectionStatus> StatusAsync(long head, CancellationToken cancellationToken)
    {
        // State first: a faulted or paused projection's position no longer moves, so the two agree; the look-up of
        // the lag below takes time in which a running one may move on.
        var state = _state;
        var lastError = _lastError;
        var position = Position;
        double lagSeconds = 0;
        if (head > position)
        {
            await foreach (var next in _store.ReadAllAsync(position, _options.Filter, 1, cancellationToken).ConfigureAwait(false))
            {
                lagSeconds = Math.Max(0, (_time.GetUtcNow() - next.Timestamp).TotalSeconds);
            }
        }

        var lagEvents = Math.Max(0, head - position);
        if (lagEvents > 0 && !_store.Capabilities.DensePositions)
        {
            // Positions with gaps between them: count the events, up to a bound that keeps a status look-up cheap.
            lagEvents = 0;
            await foreach (var _ in _store.ReadAllAsync(position, null, ProjectionStatus.LagCountLimit, cancellationToken).ConfigureAwait(false))
            {
                lagEvents++;
            }
        }

        return new ProjectionStatus(Name, state, position, lagEvents, lagSeconds, Interlocked.Read(ref _handled), Interlocked.Read(ref _parkedCount), lastError);
    }

    /// <summary>Waits until every event of the filter at or before <paramref name="position"/> is handled.</summary>
    public async Task WaitForPositionAsync(long position, CancellationToken cancellationToken)
    {
        // The store is asked whether events remain only when the projection has gone quiet: while it advances, the
        // next advance will tell.
        var askStore = true;
        while (true)
        {
            Task advanced;
            lock (_gate)
            {
                advanced = _advanced.Task;
            }

            // A partition may be running in another process: its stored checkpoint tells how far it got.
            var reached = _partition is null ? Position : Math.Max(Position, await _store.ReadCheckpointAsync(_consumer, cancellationToken).ConfigureAwait(false) ?? 0);
            if (reached >= position || (askStore && !await AnyEventBetweenAsync(reached, position, cancellationToken).ConfigureAwait(false)))
            {
                return;
            }

            // The periodic look covers events of other types that move nothing here.
            var woke = await Task.WhenAny(advanced, Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            askStore = woke != advanced;
        }
    }

    private async Task<bool> AnyEventBetweenAsync(long after, long upTo, CancellationToken cancellationToken)
    {
        await foreach (var e in _store.ReadAllAsync(after, _options.Filter, 1, cancellationToken).ConfigureAwait(false))
        {
            return e.Position <= upTo;
        }

        return false;
    }

    private static void Cancel(CancellationTokenSource? run)
    {
        try
        {
            run?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That run has ended already.
        }
    }

    private void Wake()
    {
        var woken = _wake;
        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
    }

    private void Advance(long position, int handled, int parked)
    {
        Interlocked.Exchange(ref _checkpoint, position);
        Interlocked.Add(ref _handled, handled);
        Interlocked.Add(ref _parkedCount, parked);
        TaskCompletionSource advanced;
        lock (_gate)
        {
            advanced = _advanced;
            _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        advanced.TrySetResult();
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            Task? idle = null;
            CancellationTokenSource? run = null;
            lock (_gate)
            {
                if ((_paused || _faulted) && _rebuild is null)
                {
                    _state = _paused ? ProjectionState.Paused : ProjectionState.Faulted;
                    idle = _wake.Task;
                }
                else
                {
                    run = _run = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    _runEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (idle is not null)
            {
                try
                {
                    await idle.WaitAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            try
            {
                await RunOnceAsync(run!.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (run!.IsCancellationRequested)
            {
                // Stopped, paused or asked to rebuild.
            }
            catch (Exception e)
            {
                // Outside the handler: the store went away, another owner moved the checkpoint. Start again from it.
                _lastError = e;
                ProjectionLog.Restarting(_logger, Name, e);
                try
                {
                    await Task.Delay(RetryDelay(failures++), _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            finally
            {
                lock (_gate)
                {
                    _run = null;
                    _runEnded.TrySetResult();
                }

                run!.Dispose();
            }
        }

        _state = ProjectionState.Stopped;
    }

    /// <summary>The pause after failure number <paramref name="failures"/> (0 for the first): full jitter, so that owners that failed together do not retry in lockstep.</summary>
    private TimeSpan RetryDelay(int failures) => Backoff.FullJitter(_options.RetryDelay, _options.MaxRetryDelay, failures + 1, Random.Shared);
}
