using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Annals.Nats;

public sealed partial class NatsEventStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Load what the batch checks, let the <see cref="CommitPlanner"/> decide it, and write its one message or one
    /// record expecting the versions loaded. A write that finds them changed by another process decides again.
    /// </remarks>
    protected override async ValueTask<CommitResult> CommitCoreAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        foreach (var operation in operations)
        {
            if (operation.Kind == OperationKind.SqlWork)
            {
                throw new InvalidBatchException("SQL work needs the SQLite or PostgreSQL store; the NATS store has no database to run it in");
            }
        }

        var keys = GroupKeys.For(operations);
        var fresh = false;
        var withMessageId = true;
        var reserved = new Dictionary<string, ulong>(StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            var load = new NatsCommitLoad(_time.GetUtcNow(), reserved);
            try
            {
                await LoadAsync(operations, keys, load, fresh, cancellationToken).ConfigureAwait(false);
                if (!load.Busy)
                {
                    var planner = new CommitPlanner(load.State, _time.GetUtcNow());
                    var decision = planner.Decide(operations);
                    if (!decision.Succeeded)
                    {
                        if (load.UsedCache)
                        {
                            // The cache may be behind the server: judge the batch again on what the server holds.
                            fresh = true;
                            continue;
                        }

                        await ReleaseAsync(load).ConfigureAwait(false);
                        throw decision.Error!;
                    }

                    var written = await WriteAsync(planner.Writes, decision.Result!, load, withMessageId, cancellationToken).ConfigureAwait(false);
                    if (written.Result is { } result)
                    {
                        return result;
                    }

                    withMessageId &= !written.Deduplicated;
                }
            }
            catch (Exception e) when (NatsErrors.IsUnavailable(e))
            {
                throw NatsErrors.Unavailable(this, e);
            }

            fresh = true;
            await Task.Delay(Backoff.FullJitter(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(100), Math.Min(attempt, 16), Random.Shared), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LoadAsync(BatchOperation[] operations, GroupKeys keys, NatsCommitLoad load, bool fresh, CancellationToken cancellationToken)
    {
        var state = load.State;

        // The stream-wide last sequence before the conditions' scan: an event stored after it makes the publish fail.
        if (keys.Conditions.Count > 0)
        {
            load.LastSequence = await LastSequenceAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var stream in keys.Streams)
        {
            NatsStreamHead head;
            if (!fresh && _heads.TryGet(stream, out head))
            {
                load.UsedCache = true;
            }
            else
            {
                head = await LoadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            load.Sequences[stream] = head.Sequence;
            if (head.Head is { } h)
            {
                state.Streams[stream] = h;
            }
        }

        var reservations = new List<Task>();
        foreach (var operation in operations)
        {
            if (operation is AppendOperation append)
            {
                foreach (var e in append.Events)
                {
                    reservations.Add(ReserveAsync(e.EventId, append.Stream, load, cancellationToken));
                }
            }
        }

        await Task.WhenAll(reservations).ConfigureAwait(false);

        foreach (var condition in keys.Conditions)
        {
            if (await LatestMatchAsync(condition.Filter, condition.AfterPosition, cancellationToken).ConfigureAwait(false) is { } conflict)
            {
                state.ConditionConflicts[condition] = conflict;
            }
        }

        foreach (var stream in keys.Snapshots)
        {
            if (await LoadRecordAsync(_buckets.Snapshots, NatsKeys.StreamKey(stream), load, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                state.SnapshotRevisions[stream] = NatsRecordCodec.Snapshot(stream, entry.Value).Revision;
            }
        }

        foreach (var key in keys.States)
        {
            if (await LoadRecordAsync(_buckets.States, NatsKeys.StreamKey(key), load, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                state.StateVersions[key] = NatsRecordCodec.State(key, entry.Value).Version;
            }
        }

        foreach (var consumer in keys.Checkpoints)
        {
            if (await LoadRecordAsync(_buckets.Checkpoints, NatsKeys.Token(consumer), load, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                state.Checkpoints[consumer] = NatsRecordCodec.Checkpoint(consumer, entry.Value);
            }
        }

        foreach (var key in keys.Messages)
        {
            if (await LoadRecordAsync(_buckets.Queue, NatsKeys.MessageKey(key.Queue, key.MessageId), load, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var message = NatsRecordCodec.Message(key.Queue, key.MessageId, entry.Value);
                load.Messages[key] = message;
                state.MessageRevisions[key] = message.Message.Revision;
            }
        }
    }

    private async Task<NatsRecord?> LoadRecordAsync(INatsKVStore bucket, string key, NatsCommitLoad load, CancellationToken cancellationToken)
    {
        var entry = await GetEntryAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        if (entry is { } found)
        {
            load.Revisions[NatsCommitLoad.RecordKey(bucket.Bucket, key)] = found.Revision;
        }

        return entry;
    }

    /// <summary>The position of the latest event matching the filter after a position, or <see langword="null"/>.</summary>
    private async Task<long?> LatestMatchAsync(EventFilter filter, long afterPosition, CancellationToken cancellationToken)
    {
        long? latest = null;
        var scanned = afterPosition;
        while (true)
        {
            var page = await ReadLogPageAsync(scanned, filter, EventStoreLimits.ReadPageSize, cancellationToken).ConfigureAwait(false);
            if (page.Events.Count > 0)
            {
                latest = page.Events[^1].Position;
            }

            scanned = page.ScannedTo;
            if (page.AtEnd)
            {
                return latest;
            }
        }
    }

    private async Task<(CommitResult? Result, bool Deduplicated)> WriteAsync(GroupWrites writes, CommitResult result, NatsCommitLoad load, bool withMessageId, CancellationToken cancellationToken)
    {
        if (writes.Streams.Count > 1)
        {
            throw new InvalidOperationException("A NATS commit writes one stream: the capability check lets no wider batch through.");
        }

        if (writes.Streams.Count == 1)
        {
            return await PublishAsync(writes, result, load, withMessageId, cancellationToken).ConfigureAwait(false);
        }

        // One record at most (see Capabilities), or nothing at all: a batch of append conditions, or of replays.
        foreach (var (stream, save) in writes.Snapshots)
        {
            var key = NatsKeys.StreamKey(stream);
            var ok = save is null
                ? await DeleteRecordAsync(_buckets.Snapshots, key, load, cancellationToken).ConfigureAwait(false)
                : await PutRecordAsync(_buckets.Snapshots, key, NatsRecordCodec.Snapshot(save, writes.Timestamp), load, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                return (null, false);
            }
        }

        foreach (var (stateKey, save) in writes.States)
        {
            var key = NatsKeys.StreamKey(stateKey);
            var ok = save is null
                ? await DeleteRecordAsync(_buckets.States, key, load, cancellationToken).ConfigureAwait(false)
                : await PutRecordAsync(_buckets.States, key, NatsRecordCodec.State(save, writes.Timestamp), load, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                return (null, false);
            }
        }

        foreach (var (consumer, position) in writes.Checkpoints)
        {
            if (!await PutRecordAsync(_buckets.Checkpoints, NatsKeys.Token(consumer), NatsRecordCodec.Checkpoint(position), load, cancellationToken).ConfigureAwait(false))
            {
                return (null, false);
            }
        }

        foreach (var (messageKey, write) in writes.Messages)
        {
            var key = NatsKeys.MessageKey(messageKey.Queue, messageKey.MessageId);
            bool ok;
            if (write.Insert is { } insert)
            {
                ok = await PutRecordAsync(_buckets.Queue, key, NatsRecordCodec.Message(NatsRecordCodec.Message(messageKey, insert), insert.Sequence), load, cancellationToken).ConfigureAwait(false);
            }
            else if (write.Update is { } update && load.Messages.TryGetValue(messageKey, out var stored))
            {
                var changed = stored.Message with { DueAt = update.DueAt, FailureCount = update.FailureCount, LastError = update.LastError, Revision = update.Revision };
                ok = await PutRecordAsync(_buckets.Queue, key, NatsRecordCodec.Message(changed, stored.Sequence), load, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                ok = await DeleteRecordAsync(_buckets.Queue, key, load, cancellationToken).ConfigureAwait(false);
            }

            if (!ok)
            {
                return (null, false);
            }
        }

        return (result, false);
    }

    private async Task<(CommitResult? Result, bool Deduplicated)> PublishAsync(GroupWrites writes, CommitResult result, NatsCommitLoad load, bool withMessageId, CancellationToken cancellationToken)
    {
        var (stream, write) = writes.Streams.First();
        var events = writes.Events;
        if (events.Count > NatsPositions.EventsPerMessage)
        {
            throw new InvalidBatchException($"the commit appends {events.Count} events to '{stream}', and one NATS commit holds at most {NatsPositions.EventsPerMessage}");
        }

        var payload = NatsStreamMessage.Encode(write.Head, writes.Timestamp, events);
        var maxPayload = _connection.ServerInfo?.MaxPayload ?? int.MaxValue;
        if (payload.Length > maxPayload - 512)
        {
            throw new InvalidBatchException($"the commit's events take {payload.Length} bytes in one NATS message, and the server takes messages of at most {maxPayload} bytes");
        }

        var options = new NatsJSPubOpts
        {
            ExpectedLastSubjectSequence = load.Sequences[stream],
            ExpectedLastSequence = load.LastSequence,
            MsgId = withMessageId && events.Count > 0 ? $"{events[0].Event.EventId:N}.{events.Count}" : null,
        };

        var published = await _js.TryPublishAsync(NatsKeys.Subject(_layout.Store, stream), payload, opts: options, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!published.Success)
        {
            if (published.Error is NatsJSApiException { Error.ErrCode: NatsErrors.WrongLastSequence })
            {
                _heads.Forget(stream);
                return (null, false);
            }

            throw published.Error;
        }

        var ack = published.Value;
        if (ack.Error is { } error)
        {
            if (error.ErrCode == NatsErrors.WrongLastSequence)
            {
                _heads.Forget(stream);
                return (null, false);
            }

            throw new NatsJSApiException(error);
        }

        if (ack.Duplicate)
        {
            // The server has a message with this id from the last minutes: decide again on what it holds, without the id.
            _heads.Forget(stream);
            return (null, true);
        }

        var sequence = ack.Seq;
        var head = write.Head with { LastPosition = events.Count > 0 ? NatsPositions.Of(sequence, events.Count - 1) : write.Head.LastPosition };
        _heads.Set(stream, new NatsStreamHead(sequence, head));
        if (writes.StoredEventCutoffs.ContainsKey(stream) || head.Deleted)
        {
            await RemoveCutAsync(stream, head, sequence, writes, cancellationToken).ConfigureAwait(false);
        }

        Announce();
        return (Renumber(result, writes, sequence), false);
    }

    /// <summary>The result with the positions the server gave: the planner numbered the new events after a head it could not know.</summary>
    private static CommitResult Renumber(CommitResult result, GroupWrites writes, ulong sequence)
    {
        if (result.Appends.Count == 0)
        {
            return result;
        }

        var index = new Dictionary<long, int>(writes.Events.Count);
        for (var i = 0; i < writes.Events.Count; i++)
        {
            index[writes.Events[i].Position] = i;
        }

        long Real(long planned) => index.TryGetValue(planned, out var i) ? NatsPositions.Of(sequence, i) : planned;
        var appends = new List<AppendResult>(result.Appends.Count);
        foreach (var append in result.Appends)
        {
            appends.Add(append.FirstPosition >= writes.FirstPosition
                ? append with { FirstPosition = Real(append.FirstPosition), LastPosition = Real(append.LastPosition) }
                : append);
        }

        return new CommitResult(appends);
    }

    /// <summary>
    /// After a truncate or delete: records the stream's first kept revision, which every reader of the log goes by, then
    /// removes the messages wholly below it and, for a delete, the stream's snapshot.
    /// </summary>
    private async Task RemoveCutAsync(StreamName stream, StreamHead head, ulong sequence, GroupWrites writes, CancellationToken cancellationToken)
    {
        var firstKept = head.Deleted ? head.LastRevision + 1 : head.FirstRevision;
        await _cutoffs.SaveAsync(stream, firstKept, cancellationToken).ConfigureAwait(false);
        try
        {
            var js = await StreamAsync(cancellationToken).ConfigureAwait(false);
            var purgeBelow = await FirstKeptSequenceAsync(stream, firstKept, sequence, cancellationToken).ConfigureAwait(false);
            if (purgeBelow > 1)
            {
                await js.PurgeAsync(new StreamPurgeRequest { Filter = NatsKeys.Subject(_layout.Store, stream), Seq = purgeBelow }, cancellationToken).ConfigureAwait(false);
            }

            if (writes.Snapshots.TryGetValue(stream, out var snapshot) && snapshot is null)
            {
                await _buckets.Snapshots.TryDeleteAsync(NatsKeys.StreamKey(stream), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NATS.Client.Core.NatsException or TimeoutException)
        {
            NatsLog.PurgeFailed(_logger, stream.Value, e);
        }
    }

    /// <summary>The sequence of the stream's first message that holds a kept event, or of the message just written.</summary>
    private async Task<ulong> FirstKeptSequenceAsync(StreamName stream, long firstKept, ulong written, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        await foreach (var message in FetchAsync(NatsKeys.Subject(_layout.Store, stream), 1, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            var sequence = message.Metadata!.Value.Sequence.Stream;
            if (sequence >= written)
            {
                break;
            }

            events.Clear();
            NatsStreamMessage.ReadEvents(message.Data ?? [], stream, sequence, firstKept, events);
            if (events.Count > 0)
            {
                return sequence;
            }
        }

        return written;
    }

    private async Task<bool> PutRecordAsync(INatsKVStore bucket, string key, ReadOnlyMemory<byte> value, NatsCommitLoad load, CancellationToken cancellationToken)
    {
        var bytes = value.ToArray();
        var result = load.Revisions.TryGetValue(NatsCommitLoad.RecordKey(bucket.Bucket, key), out var revision)
            ? await bucket.TryUpdateAsync(key, bytes, revision, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await bucket.TryCreateAsync(key, bytes, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.Success || Settle(result.Error);
    }

    private async Task<bool> DeleteRecordAsync(INatsKVStore bucket, string key, NatsCommitLoad load, CancellationToken cancellationToken)
    {
        // A snapshot's delete has nothing to check, so the planner loaded nothing for it: read its revision here.
        if (!load.Revisions.TryGetValue(NatsCommitLoad.RecordKey(bucket.Bucket, key), out var revision))
        {
            if (await LoadRecordAsync(bucket, key, load, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return true;
            }

            revision = stored.Revision;
        }

        var result = await bucket.TryDeleteAsync(key, new NatsKVDeleteOpts { Revision = revision }, cancellationToken).ConfigureAwait(false);
        return result.Success || Settle(result.Error);
    }

    /// <summary>A compare-and-set that did not go through: <see langword="false"/> when another process changed the record first.</summary>
    private static bool Settle(Exception error) =>
        error is NatsKVWrongLastRevisionException or NatsKVCreateException ? false : throw error;

    /// <summary>
    /// Reserves an event id for this commit's stream before the commit is published, so that no two streams store it:
    /// an id already reserved is either stored (found in its stream: a replay or a duplicate, as the planner decides),
    /// reserved by an earlier attempt of this commit (renewed), left by another commit to this stream, or being written to
    /// another stream right now.
    /// </summary>
    private async Task ReserveAsync(Guid id, StreamName stream, NatsCommitLoad load, CancellationToken cancellationToken)
    {
        var key = NatsKeys.IdKey(id);
        var expected = load.Sequences.GetValueOrDefault(stream);
        var value = Reservation(stream, expected);
        var created = await _buckets.Ids.TryCreateAsync(key, value, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (created.Success)
        {
            Reserved(load, key, created.Value);
            return;
        }

        if (created.Error is not NatsKVCreateException)
        {
            throw created.Error;
        }

        if (await GetEntryAsync(_buckets.Ids, key, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            // Released between the two calls: try again.
            load.Busy = true;
            return;
        }

        var (owner, ownerExpected) = ReadReservation(entry.Value);
        var stored = await FindEventAsync(owner, id, cancellationToken).ConfigureAwait(false);
        if (stored is { } found)
        {
            lock (load.State)
            {
                load.State.EventIds[id] = found;
            }

            // Stored by another commit of the same event (a repeat of this one): the key marks a stored event now, and
            // a failure of this commit must not give it back.
            lock (load.Reserved)
            {
                load.Reserved.Remove(key);
            }

            return;
        }

        bool ours;
        lock (load.Reserved)
        {
            ours = load.Reserved.TryGetValue(key, out var revision) && revision == entry.Revision;
        }

        if (ours)
        {
            // Reserved by an earlier attempt of this commit: renewed with the sequence this attempt expects, by which
            // commits to other streams judge whether it is stale, and kept among those released if the commit fails.
            var renewed = await _buckets.Ids.TryUpdateAsync(key, value, entry.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (renewed.Success)
            {
                Reserved(load, key, renewed.Value);
                return;
            }

            if (renewed.Error is not NatsKVWrongLastRevisionException)
            {
                throw renewed.Error;
            }

            // Taken over by a commit to another stream in between: no longer ours, and busy.
            lock (load.Reserved)
            {
                load.Reserved.Remove(key);
            }

            load.Busy = true;
            return;
        }

        if (owner == stream)
        {
            // Left by another commit to this stream (one under way, or one that did not finish): the stream's expected
            // sequence guards the publish.
            return;
        }

        // The other commit lost its race once its stream moved past the sequence it expected; it is stale after the timeout.
        var ownerHead = await LoadHeadAsync(owner, cancellationToken).ConfigureAwait(false);
        var stale = ownerHead.Sequence != ownerExpected || TimeProvider.System.GetUtcNow() - entry.Created > _options.ReservationTimeout;
        if (stale)
        {
            var updated = await _buckets.Ids.TryUpdateAsync(key, value, entry.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (updated.Success)
            {
                Reserved(load, key, updated.Value);
                return;
            }
        }

        load.Busy = true;
    }

    private static void Reserved(NatsCommitLoad load, string key, ulong revision)
    {
        lock (load.Reserved)
        {
            load.Reserved[key] = revision;
        }
    }

    /// <summary>
    /// Gives back the ids a failed commit reserved in any of its attempts, so that they do not stay reserved for good and
    /// another stream may use them at once; each only while the reservation is still the commit's own.
    /// </summary>
    private async Task ReleaseAsync(NatsCommitLoad load)
    {
        foreach (var (key, revision) in load.Reserved)
        {
            try
            {
                await _buckets.Ids.TryDeleteAsync(key, new NatsKVDeleteOpts { Revision = revision }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NATS.Client.Core.NatsException or TimeoutException)
            {
                // A reservation left behind is taken over once its stream moved on or it timed out.
            }
        }
    }

    /// <summary>Where an event is stored, or <see langword="null"/> when its stream does not hold it (any more).</summary>
    private async Task<AppendReplay.StoredEvent?> FindEventAsync(StreamName stream, Guid id, CancellationToken cancellationToken)
    {
        foreach (var e in await ReadWholeStreamAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            if (e.EventId == id)
            {
                return new AppendReplay.StoredEvent(stream, e.Revision, e.Position);
            }
        }

        return null;
    }

    private static byte[] Reservation(StreamName stream, ulong expectedSequence)
    {
        var writer = new NatsBinaryWriter(64);
        writer.Int64((long)expectedSequence);
        writer.String(stream.Value);
        return writer.Written.ToArray();
    }

    private static (StreamName Stream, ulong ExpectedSequence) ReadReservation(byte[] value)
    {
        var reader = new NatsBinaryReader(value, "An event id's reservation");
        var expected = (ulong)reader.Int64();
        return (StreamName.Parse(reader.String()), expected);
    }
}
