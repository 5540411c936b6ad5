using System.Diagnostics;
using Annals.Diagnostics;
using Annals.Storage;

namespace Annals.Projections;

internal sealed partial class ProjectionRunner
{
    /// <summary>Handles a batch; false when it failed every retry and the projection stops.</summary>
    private async Task<bool> HandleAsync(List<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        var error = await TryHandleAsync(batch, cancellationToken).ConfigureAwait(false);
        if (error is null)
        {
            return true;
        }

        // One event at a time, to find the ones that fail on their own: under the stop policy the projection stops
        // just before the first; under the park policy those are parked and the rest handled.
        if (batch.Count > 1)
        {
            error = null;
            foreach (var e in batch)
            {
                if (await TryHandleAsync([e], cancellationToken).ConfigureAwait(false) is not { } single)
                {
                    continue;
                }

                if (_options.OnFailure == FailurePolicy.Stop)
                {
                    error = single;
                    break;
                }

                await ParkAsync(e, single, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (_options.OnFailure == FailurePolicy.Park)
        {
            await ParkAsync(batch[0], error, cancellationToken).ConfigureAwait(false);
        }

        if (_options.OnFailure == FailurePolicy.Park || error is null)
        {
            return true;
        }

        _lastError = error;
        ProjectionLog.Faulted(_logger, Name, Position, error);
        return false;
    }

    /// <summary>
    /// Hands events to the handler and commits what it added with the checkpoint, retrying with back-off; returns the
    /// last error when every attempt failed. Failures outside the handler end the run instead.
    /// </summary>
    private async Task<Exception?> TryHandleAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        using var span = BatchSpans.StartBatch(Name, events);
        for (var attempt = 0; ; attempt++)
        {
            span?.SetTag("annals.projection.attempts", attempt + 1);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var commit = new CommitBatch();
                var mine = _partition is null ? events : [.. events.Where(_partition.Holds)];
                ProjectionBatch? handled = null;
                if (mine.Count > 0)
                {
                    handled = new ProjectionBatch(Name, mine, commit, Position) { Generation = _generation };
                    await _handler.HandleAsync(handled, cancellationToken).ConfigureAwait(false);
                }

                // Also when no event was this partition's: the checkpoint moves past the others' events.
                var last = events[^1];
                commit.SaveCheckpoint(_consumer, last.Position, Stored);

                // Not cancelled with the run: a run that ends (its lease lost or given back) waits for its last commit's
                // outcome, so no other owner starts from a checkpoint that is about to move.
                await _store.CommitWholeOrInPartsAsync(commit, CancellationToken.None).ConfigureAwait(false);
                handled?.Committed?.ForEach(static action => action());
                Advance(last.Position, mine.Count, parked: 0);
                _lastError = null;
                _metrics.Handled(Name, mine.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds, Math.Max(0, (_time.GetUtcNow() - last.Timestamp).TotalMilliseconds));
                return null;
            }
            catch (Exception e) when (IsOutsideTheHandler(e, cancellationToken))
            {
                throw;
            }
            catch (Exception e)
            {
                _lastError = e;
                _metrics.Failed(Name);
                ProjectionLog.AttemptFailed(_logger, Name, attempt + 1, Position, e);
                if (attempt >= _options.MaxRetries)
                {
                    span?.Failed(e);
                    return e;
                }

                await Task.Delay(RetryDelay(attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sets an event aside with the error, in the same commit as the checkpoint past it, so it is parked exactly once.
    /// </summary>
    private async Task ParkAsync(RecordedEvent e, Exception error, CancellationToken cancellationToken)
    {
        var commit = ParkedEvents.Park(new CommitBatch(), Name, e, error).SaveCheckpoint(_consumer, e.Position, Stored);
        await _store.CommitWholeOrInPartsAsync(commit, CancellationToken.None).ConfigureAwait(false);
        Advance(e.Position, handled: 0, parked: 1);
        _metrics.Parked(Name);
        ProjectionLog.Parked(_logger, Name, e.EventId, e.Position, error);
    }

    /// <summary>Hands each parked event whose replay was requested to the handler again: removed when handled, parked again when not.</summary>
    private async Task ReplayRequestedAsync(CancellationToken cancellationToken)
    {
        var queue = ParkedEvents.QueueOf(Name);
        var due = await _store.ReadDueMessagesAsync(queue, _time.GetUtcNow(), 32, cancellationToken).ConfigureAwait(false);
        foreach (var message in due)
        {
            var e = await ParkedEventAsync(message, cancellationToken).ConfigureAwait(false);
            try
            {
                var commit = new CommitBatch();
                await _handler.HandleAsync(new ProjectionBatch(Name, [e], commit, Position, IsReplay: true) { Generation = _generation }, cancellationToken).ConfigureAwait(false);
                commit.RemoveMessage(queue, message.MessageId, message.Revision);
                await _store.CommitWholeOrInPartsAsync(commit, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _handled);
                ProjectionLog.Replayed(_logger, Name, e.EventId);
            }
            catch (Exception error) when (IsOutsideTheHandler(error, cancellationToken))
            {
                throw;
            }
            catch (Exception error)
            {
                _lastError = error;
                _metrics.Failed(Name);
                var parkAgain = new CommitBatch().Reschedule(queue, message.MessageId, message.Revision, ParkedEvents.NotDue, message.FailureCount + 1, ParkedEvents.Describe(error));
                await _store.CommitWholeOrInPartsAsync(parkAgain, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The parked event as the log has it, or as it was parked when the log no longer holds it.</summary>
    private async Task<RecordedEvent> ParkedEventAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var position = ParkedEvents.PositionOf(message);
        await foreach (var e in _store.ReadAllAsync(position - 1, null, 1, cancellationToken).ConfigureAwait(false))
        {
            if (e.EventId == message.MessageId)
            {
                return e;
            }
        }

        var parked = ParkedEvents.ToParked(Name, message);
        return new RecordedEvent(message.MessageId, parked.Stream, parked.Revision, position, message.Type, message.Data, new Dictionary<string, string>(), message.EnqueuedAt);
    }

    /// <summary>
    /// Errors that are not the handler's: cancellation, the store being unavailable, and another owner having moved the
    /// checkpoint. They end the run, which starts again from the stored checkpoint, instead of counting as failures.
    /// </summary>
    private bool IsOutsideTheHandler(Exception e, CancellationToken cancellationToken) =>
        (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        || e is StoreUnavailableException
        || (e is CheckpointConflictException conflict && conflict.Consumer == _consumer);
}
