using System.Threading.Channels;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Projections;

/// <summary>
/// Reads a subscription ahead into a bounded buffer and hands it out in batches: whatever has arrived, up to the batch
/// size, after waiting up to the projection's max wait for a batch that is not full. A reader that is behind (a full
/// batch already waiting) takes up to the catch-up batch size instead, as long as the batch's data stays under
/// <see cref="LogPageSizer.TargetBytes"/>. The buffer holds at most twice the larger size in events and
/// <see cref="MaxBufferedBytes"/> of data (always at least one event), so large events are not read far ahead.
/// </summary>
internal sealed class BatchReader : IAsyncDisposable
{
    /// <summary>The most event data read ahead, beyond one event.</summary>
    public const long MaxBufferedBytes = 2 * LogPageSizer.TargetBytes;

    private readonly Channel<RecordedEvent> _buffer;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pump;
    private readonly int _batchSize;
    private readonly int _catchUpSize;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private readonly Pulse _drained = new();
    private long _bufferedBytes;
    private bool _waitingForRoom;

    public BatchReader(IEventStore store, long afterPosition, ProjectionOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        _batchSize = options.BatchSize;
        _catchUpSize = Math.Max(options.BatchSize, options.CatchUpBatchSize);
        _maxWait = options.MaxWait;
        _time = time;
        _buffer = Channel.CreateBounded<RecordedEvent>(new BoundedChannelOptions(Math.Max(2 * _catchUpSize, 64)) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _pump = PumpAsync(store, afterPosition, options.Filter, _stop.Token);
    }

    /// <summary>Whether events are waiting beyond the last batch handed out: the projection is behind the log.</summary>
    public bool HasMore => Buffered > 0;

    /// <summary>Events read ahead and not yet handed out.</summary>
    public int Buffered => _buffer.Reader.Count;

    /// <summary>Whether the pump holds the byte bound and waits for a drain: until then it adds nothing more.</summary>
    internal bool IsWaitingForRoom => Volatile.Read(ref _waitingForRoom);

    /// <summary>The next batch, or an empty one when nothing arrived within <paramref name="idle"/>.</summary>
    public async Task<List<RecordedEvent>> NextAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        var batch = new List<RecordedEvent>();
        var reader = _buffer.Reader;
        if (!reader.TryPeek(out _) && !await WaitAsync(idle, cancellationToken).ConfigureAwait(false))
        {
            return batch;
        }

        // A full batch already waiting means the reader is behind the log: it takes a larger one.
        var behind = reader.Count >= _batchSize;
        Drain(batch, behind ? _catchUpSize : _batchSize, behind);
        if (batch.Count < _batchSize && _maxWait > TimeSpan.Zero)
        {
            var deadline = _time.GetTimestamp() + (long)(_maxWait.TotalSeconds * _time.TimestampFrequency);
            while (batch.Count < _batchSize)
            {
                var left = TimeSpan.FromSeconds((double)(deadline - _time.GetTimestamp()) / _time.TimestampFrequency);
                if (left <= TimeSpan.Zero || !await WaitAsync(left, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                Drain(batch, _batchSize, bounded: false);
            }
        }

        return batch;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The pump ends by cancellation; its other errors reached the reader already.
        }

        _stop.Dispose();
    }

    /// <summary>Takes events up to <paramref name="limit"/>; a <paramref name="bounded"/> batch stops growing past the batch size once its data reaches the page target.</summary>
    private void Drain(List<RecordedEvent> batch, int limit, bool bounded)
    {
        long bytes = 0;
        while (batch.Count < limit
            && !(bounded && batch.Count >= _batchSize && bytes >= LogPageSizer.TargetBytes)
            && _buffer.Reader.TryRead(out var e))
        {
            batch.Add(e);
            bytes += e.Data.Length;
            var left = Interlocked.Add(ref _bufferedBytes, -e.Data.Length);
            if (left < MaxBufferedBytes && left + e.Data.Length >= MaxBufferedBytes)
            {
                _drained.Fire();
            }
        }
    }

    /// <summary>Waits for an event to read; false when none came in time. A failed subscription throws its error here.</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            if (await _buffer.Reader.WaitToReadAsync(either.Token).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // The subscription ended: it only does so by failing or by being stopped.
        await _buffer.Reader.Completion.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException("The subscription ended without an error.");
    }

    private async Task PumpAsync(IEventStore store, long afterPosition, EventFilter? filter, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var e in store.SubscribeAsync(afterPosition, filter, cancellationToken).ConfigureAwait(false))
            {
                await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _bufferedBytes, e.Data.Length);
                await _buffer.Writer.WriteAsync(e, cancellationToken).ConfigureAwait(false);
            }

            _buffer.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _buffer.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>Waits while the buffer holds <see cref="MaxBufferedBytes"/> of data or more (and at least one event).</summary>
    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _bufferedBytes) >= MaxBufferedBytes)
        {
            // Taken before the check, so that a drain after the check wakes it.
            var drained = _drained.Next;
            if (Volatile.Read(ref _bufferedBytes) < MaxBufferedBytes)
            {
                return;
            }

            Volatile.Write(ref _waitingForRoom, true);
            try
            {
                await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _waitingForRoom, false);
            }
        }
    }
}
