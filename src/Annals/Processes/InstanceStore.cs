using Annals.Serialization;
using Annals.Storage;

namespace Annals.Processes;

/// <summary>Loads a process's instances from their durable state, and writes what a batch changed of them into a commit.</summary>
/// <typeparam name="TState">The state.</typeparam>
internal sealed class InstanceStore<TState>(IEventStore store, EventCodec codec, string process, TState initialState)
{
    public string Process => process;

    public string CommandQueue { get; } = ProcessNames.Commands(process);

    public string TimeoutQueue { get; } = ProcessNames.Timeouts(process);

    public async ValueTask<ProcessInstance<TState>> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var key = KeyOf(id);
        return FromStored(id, key, await store.ReadStateAsync(key, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Loads many instances with one read of their states, as a batch of events needs them.</summary>
    /// <param name="ids">The instances, each once.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Every instance asked for, existing or not.</returns>
    public async ValueTask<Dictionary<string, ProcessInstance<TState>>> LoadAllAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var keys = ids.ToDictionary(id => id, KeyOf, StringComparer.Ordinal);
        var stored = await store.ReadStatesAsync(keys.Values, cancellationToken).ConfigureAwait(false);
        return keys.ToDictionary(k => k.Key, k => FromStored(k.Key, k.Value, stored.GetValueOrDefault(k.Value)), StringComparer.Ordinal);
    }

    private StreamName KeyOf(string id) =>
        NameRules.CheckStreamId(id) is { } error
            ? throw new InvalidNameException(NameKind.Stream, id, $"a process instance id is a stream id: {error}")
            : ProcessNames.Instance(process, id);

    private ProcessInstance<TState> FromStored(string id, StreamName key, DurableState? stored)
    {
        if (stored is null)
        {
            return new ProcessInstance<TState>(id, key, 0, null, initialState).MarkExisting(false);
        }

        var record = InstanceRecord.Decode(stored.Data);
        if (!codec.TryDecodeState<TState>(record.StateType, record.State, out var state, out var skipped))
        {
            throw new ProcessStateException(process, id, skipped);
        }

        return new ProcessInstance<TState>(id, key, stored.Version, record, state).MarkExisting(true);
    }

    /// <summary>Adds to the commit what the instance's steps changed: its state (or its removal), its commands and its timeouts.</summary>
    public async ValueTask WriteAsync(ProcessInstance<TState> instance, CommitBatch commit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!instance.Changed)
        {
            return;
        }

        if (instance.Exists)
        {
            var (type, data) = codec.EncodeState(instance.State);
            var record = new InstanceRecord { StateType = type, State = data, Timeouts = instance.Pending };
            commit.SaveState(instance.Key, instance.StoredVersion + 1, InstanceRecord.TypeName, record.Encode());
        }
        else if (instance.StoredVersion > 0)
        {
            commit.DeleteState(instance.Key, instance.StoredVersion);
        }

        // A pending timeout may have been retried (its revision moved): it is removed at the revision it has now, and a
        // concurrent change to it fails the commit, which then runs again.
        foreach (var id in instance.RemovedTimeouts)
        {
            if (await store.ReadMessageAsync(TimeoutQueue, id, cancellationToken).ConfigureAwait(false) is { } pending)
            {
                commit.RemoveMessage(TimeoutQueue, id, pending.Revision);
            }
        }

        // A timeout carries the correlation of the step that scheduled it, so the commands it sends stay in it.
        foreach (var (id, timeout, links) in instance.NewTimeouts)
        {
            var encoded = codec.Encode(timeout.Payload, id, new MessageContext(id.ToString(), links.CorrelationId));
            var metadata = new Dictionary<string, string>(encoded.Metadata, StringComparer.Ordinal)
            {
                [InstanceKeys.Instance] = instance.Id,
                [InstanceKeys.Timeout] = timeout.Name,
                [MetadataKeys.CausationId] = links.CausationId,
            };
            ProcessSpans.Inject(metadata);
            commit.Enqueue(TimeoutQueue, id, encoded.Type, encoded.Data, timeout.DueAt, metadata);
        }

        foreach (var (id, command, links) in instance.Commands)
        {
            var context = new MessageContext(id.ToString(), links.CorrelationId) { CausationId = links.CausationId };
            var encoded = codec.Encode(command.Command, id, context);
            var metadata = new Dictionary<string, string>(encoded.Metadata, StringComparer.Ordinal)
            {
                [InstanceKeys.Instance] = instance.Id,
                [InstanceKeys.Target] = command.Target.ToString(),
                [MetadataKeys.CausationId] = links.CausationId,
            };
            ProcessSpans.Inject(metadata);
            commit.Enqueue(CommandQueue, id, encoded.Type, encoded.Data, now, metadata);
        }
    }

    /// <summary>Decodes a queued command or timeout as the object it was.</summary>
    public object Decode(QueueMessage message, StreamName stream) =>
        codec.Decode(new RecordedEvent(message.MessageId, stream, 0, 0, message.Type, message.Data, message.Metadata, message.EnqueuedAt)).Single();
}
