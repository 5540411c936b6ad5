using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Deciders;

/// <summary>A model kept current by a subscription: read it from any thread, and wait until it has seen a position (read-your-writes after a command).</summary>
/// <typeparam name="TState">The model; an immutable value is easiest to share, otherwise read it through <see cref="Read{T}"/>.</typeparam>
public sealed class Watcher<TState> : IAsyncDisposable
{
    private readonly TypedEventStore _store;
    private readonly Func<TState, RecordedEvent, TState> _fold;
    private readonly WatchOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _run;
    private readonly Pulse _changed = new();
    private TState _state;
    private long _position;
    private Exception? _error;

    internal Watcher(TypedEventStore store, TState initialState, Func<TState, RecordedEvent, TState> fold, WatchOptions options)
    {
        _store = store;
        _state = initialState;
        _fold = fold;
        _options = options;
        _position = options.AfterPosition;
        _run = Task.Run(RunAsync);
    }

    /// <summary>The model as of <see cref="Position"/>.</summary>
    public TState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The position of the last event folded in (or skipped), or the starting position.</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>Why the watcher stopped, when an event could not be folded or the subscription failed; <see langword="null"/> while it runs.</summary>
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>Reads the model while no event is being folded into it, for models that are not immutable.</summary>
    /// <typeparam name="T">What is read.</typeparam>
    /// <param name="read">Reads the model and its position.</param>
    /// <returns>What was read.</returns>
    public T Read<T>(Func<TState, long, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read(_state, _position);
        }
    }

    /// <summary>Waits until the model contains every event of its filter up to a position, e.g. the <see cref="Decision{TState, TEvent}.Position"/> of a command just decided.</summary>
    /// <param name="position">The position.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the model is at least that current.</returns>
    /// <exception cref="WatcherFaultedException">The watcher stopped on an error before reaching the position.</exception>
    /// <exception cref="ObjectDisposedException">The watcher was disposed.</exception>
    public async Task WaitForPositionAsync(long position, CancellationToken cancellationToken = default)
    {
        if (Position >= position)
        {
            return;
        }

        // The watcher only moves on events of its filter; find the last one at or before the position, if any.
        long target = 0;
        await foreach (var record in _store.Store.ReadAllAsync(Position, _options.Filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (record.Position > position)
            {
                break;
            }

            target = record.Position;
        }

        while (true)
        {
            var changed = _changed.Next;
            if (Position >= target)
            {
                return;
            }

            if (Error is { } error)
            {
                throw new WatcherFaultedException(error);
            }

            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops following the store.</summary>
    /// <returns>A task that completes when the subscription has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        _changed.Close();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var record in _store.Store.SubscribeAsync(Position, _options.Filter, token).ConfigureAwait(false))
                {
                    Apply(record);
                }

                if (!token.IsCancellationRequested)
                {
                    Volatile.Write(ref _error, new InvalidOperationException("The store ended the subscription; was it disposed?"));
                    _changed.Fire();
                }

                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (StoreUnavailableException)
            {
                // Resume from the last event folded in once the store is back; nothing is folded twice.
                try
                {
                    await Task.Delay(_options.ReconnectDelay, _store.Time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception e)
            {
                Volatile.Write(ref _error, e);
                _changed.Fire();
                return;
            }
        }
    }

    private void Apply(RecordedEvent record)
    {
        TState next;
        try
        {
            next = _fold(State, record);
        }
        catch (Exception e) when (e is not OperationCanceledException && _options.OnError?.Invoke(e, record) == true)
        {
            Volatile.Write(ref _position, record.Position);
            _changed.Fire();
            return;
        }

        lock (_gate)
        {
            _state = next;
            Volatile.Write(ref _position, record.Position);
        }

        _changed.Fire();
    }
}
