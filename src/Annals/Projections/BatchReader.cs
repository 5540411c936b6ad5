using System.Threading.Channels;

namespace Annals.Projections;

/// <summary>
/// Reads a subscription ahead into a bounded buffer and hands it out in batches: whatever has arrived, up to the batch
/// size, after waiting up to the projection's max wait for a batch that is not full.
/// </summary>
internal sealed class BatchReader : IAsyncDisposable
{
    private readonly Channel<RecordedEvent> _buffer;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pump;
    private readonly int _batchSize;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;

    public BatchReader(IEventStore store, long afterPosition, ProjectionOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        _batchSize = options.BatchSize;
        _maxWait = options.MaxWait;
        _time = time;
        _buffer = Channel.CreateBounded<RecordedEvent>(new BoundedChannelOptions(Math.Max(2 * options.BatchSize, 64)) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _pump = PumpAsync(store, afterPosition, options.Filter, _stop.Token);
    }

    /// <summary>Whether events are waiting beyond the last batch handed out: the projection is behind the log.</summary>
    public bool HasMore => _buffer.Reader.Count > 0;

    /// <summary>The next batch, or an empty one when nothing arrived within <paramref name="idle"/>.</summary>
    public async Task<List<RecordedEvent>> NextAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        var batch = new List<RecordedEvent>();
        var reader = _buffer.Reader;
        if (!reader.TryPeek(out _) && !await WaitAsync(idle, cancellationToken).ConfigureAwait(false))
        {
            return batch;
        }

        Drain(batch);
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

                Drain(batch);
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

    private void Drain(List<RecordedEvent> batch)
    {
        while (batch.Count < _batchSize && _buffer.Reader.TryRead(out var e))
        {
            batch.Add(e);
        }
    }

    /// <summary>Waits for an event to read; false when none came in time. A failed subscription throws its error here.</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            if (await _buffer.Reader.WaitToReadAsync(timer.Token).ConfigureAwait(false))
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
}
