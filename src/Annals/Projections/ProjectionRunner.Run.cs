using System.Diagnostics;
using Annals.Leases;
using Annals.Storage;

namespace Annals.Projections;

internal sealed partial class ProjectionRunner
{
    /// <summary>One run: from taking the lease to being stopped, faulted, or failing outside the handler.</summary>
    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var lease = _hostOptions.Leases is { } leases ? await AcquireAsync(leases, cancellationToken).ConfigureAwait(false) : null;
        var membership = lease is null ? null : _partition?.Membership;
        membership?.Took(_partition!.Index);
        using var owned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var keeping = lease is null ? Task.CompletedTask : KeepAsync(_hostOptions.Leases!, lease, owned);
        Activity? catchUp = null;
        try
        {
            await RebuildIfAskedAsync(owned.Token).ConfigureAwait(false);
            await ResolveGenerationAsync(owned.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _checkpoint, await _store.ReadCheckpointAsync(_consumer, owned.Token).ConfigureAwait(false) ?? NoCheckpoint);

            // Until the first batch or the first idle wait says otherwise, it reads what the log holds after the checkpoint.
            _state = ProjectionState.CatchingUp;
            ProjectionLog.Running(_logger, Name, Position);
            catchUp = BatchSpans.StartCatchUp(Name, Position);
            await using var reader = new BatchReader(_store, Position, _options, _time, owned.Token);
            var nextParkedCheck = _time.GetUtcNow();
            while (true)
            {
                var batch = await reader.NextAsync(_hostOptions.ParkedCheckInterval, owned.Token).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    _state = batch.Count >= _options.BatchSize || reader.HasMore ? ProjectionState.CatchingUp : ProjectionState.Live;
                    if (!await HandleAsync(batch, owned.Token).ConfigureAwait(false))
                    {
                        lock (_gate)
                        {
                            _faulted = true;
                        }

                        return;
                    }
                }

                if (!reader.HasMore)
                {
                    _state = ProjectionState.Live;
                    BatchSpans.EndCatchUp(ref catchUp, Position, live: true);
                }

                if (_time.GetUtcNow() >= nextParkedCheck)
                {
                    if (await GenerationChangedAsync(owned.Token).ConfigureAwait(false))
                    {
                        // A rebuild elsewhere switched generations: the next run follows the new one.
                        return;
                    }

                    await ReplayRequestedAsync(owned.Token).ConfigureAwait(false);
                    nextParkedCheck = _time.GetUtcNow() + _hostOptions.ParkedCheckInterval;
                }
            }
        }
        catch (OperationCanceledException) when (owned.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The lease was lost: the next run waits for it again.
        }
        finally
        {
            BatchSpans.EndCatchUp(ref catchUp, Position, live: false);
            await owned.CancelAsync().ConfigureAwait(false);
            await keeping.ConfigureAwait(false);
            if (lease is not null)
            {
                await ProjectionLeases.ReleaseOrLetLapseAsync(_hostOptions.Leases!, lease, _hostOptions.LeaseDuration, _time).ConfigureAwait(false);
            }

            membership?.GaveBack(_partition!.Index);
        }
    }

    private bool FollowsGenerations => _handler is ISideBySideProjection && _partition is null && _fixedGeneration is null;

    /// <summary>Which generation this run writes, and so which checkpoint it keeps.</summary>
    private async Task ResolveGenerationAsync(CancellationToken cancellationToken)
    {
        if (FollowsGenerations)
        {
            _generation = await _store.ReadCheckpointAsync(GenerationConsumer(Name), cancellationToken).ConfigureAwait(false) ?? 0;
            _consumer = ConsumerOf(Name, _generation);
        }
    }

    private async Task<bool> GenerationChangedAsync(CancellationToken cancellationToken) =>
        FollowsGenerations && (await _store.ReadCheckpointAsync(GenerationConsumer(Name), cancellationToken).ConfigureAwait(false) ?? 0) != _generation;

    private async Task<Lease> AcquireAsync(ILeaseManager leases, CancellationToken cancellationToken)
    {
        var logged = false;
        while (true)
        {
            // A partition is taken only within this member's fair share of its group.
            if ((_partition?.Membership?.MayTake() ?? true)
                && await leases.TryAcquireAsync(ProjectionLeases.Prefix + Name, _hostOptions.Owner, _hostOptions.LeaseDuration, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                ProjectionLog.LeaseTaken(_logger, Name, lease.Owner);
                return lease;
            }

            _state = ProjectionState.WaitingForLease;
            if (!logged)
            {
                ProjectionLog.WaitingForLease(_logger, Name);
                logged = true;
            }

            await Task.Delay(_hostOptions.LeaseDuration / 3, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease every third of its duration; when a renewal fails, the run stops before the lease can lapse.</summary>
    private async Task KeepAsync(ILeaseManager leases, Lease lease, CancellationTokenSource owned)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_hostOptions.LeaseDuration / 3, _time, owned.Token).ConfigureAwait(false);
                using var timer = new CancellationTokenSource(_hostOptions.LeaseDuration / 3, _time);
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(owned.Token, timer.Token);
                lease = await leases.RenewAsync(lease, _hostOptions.LeaseDuration, patience.Token).ConfigureAwait(false);
                if (_partition?.Membership?.ShouldGiveBack(_partition.Index) == true)
                {
                    // Members joined: this one holds more than its share and gives this partition to one of them.
                    ProjectionLog.GivingBack(_logger, Name);
                    await owned.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (owned.IsCancellationRequested)
        {
            // The run ended.
        }
        catch (Exception e)
        {
            _lastError = e;
            ProjectionLog.LeaseLost(_logger, Name, lease.Owner, e);
            await owned.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task RebuildIfAskedAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? rebuild;
        lock (_gate)
        {
            rebuild = _rebuild;
        }

        if (rebuild is null)
        {
            return;
        }

        _state = ProjectionState.Rebuilding;
        try
        {
            await ResetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_gate)
            {
                _rebuild = null;
            }

            rebuild.TrySetException(e);
            throw;
        }

        lock (_gate)
        {
            _rebuild = null;
        }

        Interlocked.Exchange(ref _handled, 0);
        Interlocked.Exchange(ref _parkedCount, 0);
        ProjectionLog.Reset(_logger, Name);
        rebuild.TrySetResult();
    }

    /// <summary>Clears the read model, the parked events and the checkpoint in one commit.</summary>
    private async Task ResetAsync(CancellationToken cancellationToken)
    {
        var checkpoint = await _store.ReadCheckpointAsync(_consumer, cancellationToken).ConfigureAwait(false);
        var commit = new CommitBatch();
        await _handler.ResetAsync(commit, cancellationToken).ConfigureAwait(false);
        var queue = ParkedEvents.QueueOf(Name);
        foreach (var parked in await _store.ReadDueMessagesAsync(queue, DateTimeOffset.MaxValue, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            commit.RemoveMessage(queue, parked.MessageId, parked.Revision);
        }

        if (checkpoint is { } stored && stored > 0)
        {
            commit.SaveCheckpoint(_consumer, 0, stored);
        }

        if (commit.Operations.Count > 0)
        {
            await _store.CommitWholeOrInPartsAsync(commit, cancellationToken).ConfigureAwait(false);
        }
    }
}
