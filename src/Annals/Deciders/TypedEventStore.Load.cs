using Annals.Serialization;
using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    /// <summary>Folds a stream into a state: from its latest snapshot, when the state type is registered and the snapshot is of its current version, then the later events.</summary>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="stream">The stream.</param>
    /// <param name="evolver">How events change the state.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The state and the revision it was folded up to.</returns>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    public Task<StreamState<TState>> LoadAsync<TState, TEvent>(StreamName stream, IEvolver<TState, TEvent> evolver, CancellationToken cancellationToken = default) =>
        RecoverAsync(stream, evolver, null, cancellationToken);

    // As LoadAsync, and tells snapshotSkipped which stored snapshot could not be used, and why.
    internal async Task<StreamState<TState>> RecoverAsync<TState, TEvent>(StreamName stream, IEvolver<TState, TEvent> evolver, Action<Snapshot, string>? snapshotSkipped, CancellationToken cancellationToken) =>
        (await RecoverSizedAsync(stream, evolver, snapshotSkipped, cancellationToken).ConfigureAwait(false)).Current;

    // As RecoverAsync, and counts the encoded bytes the state was folded from (its snapshot and events), for the decision cache.
    private async Task<(StreamState<TState> Current, long Bytes)> RecoverSizedAsync<TState, TEvent>(StreamName stream, IEvolver<TState, TEvent> evolver, Action<Snapshot, string>? snapshotSkipped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evolver);
        var start = new StreamState<TState>(stream, evolver.InitialState, null);
        long bytes = 0;
        if (Codec.Registry.IsRegistered(typeof(TState))
            && await Store.ReadSnapshotAsync(stream, cancellationToken).ConfigureAwait(false) is { } snapshot)
        {
            // A snapshot of another type or version is only a missed optimisation: the events still hold everything.
            if (Codec.TryDecodeState<TState>(snapshot.Type, snapshot.Data, out var state, out var skippedBecause))
            {
                start = new StreamState<TState>(stream, state, snapshot.Revision);
                bytes = EncodedSize.Of(snapshot);
            }
            else
            {
                snapshotSkipped?.Invoke(snapshot, skippedBecause);
            }
        }

        var caughtUp = await CatchUpSizedAsync(start, evolver, cancellationToken).ConfigureAwait(false);
        return (caughtUp.Current, bytes + caughtUp.Bytes);
    }

    /// <summary>Folds the events a stream has gained since a state was folded.</summary>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="current">The state and its revision.</param>
    /// <param name="evolver">How events change the state.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The state and the revision it was folded up to.</returns>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    public async Task<StreamState<TState>> CatchUpAsync<TState, TEvent>(StreamState<TState> current, IEvolver<TState, TEvent> evolver, CancellationToken cancellationToken = default) =>
        (await CatchUpSizedAsync(current, evolver, cancellationToken).ConfigureAwait(false)).Current;

    private async Task<(StreamState<TState> Current, long Bytes)> CatchUpSizedAsync<TState, TEvent>(StreamState<TState> current, IEvolver<TState, TEvent> evolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(evolver);
        var (state, revision, bytes) = await FoldStreamAsync(current, evolver, cancellationToken).ConfigureAwait(false);
        if (revision is null
            && await Store.GetStreamInfoAsync(current.Stream, cancellationToken).ConfigureAwait(false) is { } info)
        {
            // The stream exists after all: either its first events were committed since the read, or every event was
            // truncated away. Read again; only if there is still nothing to fold may appends expect its last revision.
            (state, revision, bytes) = await FoldStreamAsync(current, evolver, cancellationToken).ConfigureAwait(false);
            revision ??= info.LastRevision;
        }

        return (new StreamState<TState>(current.Stream, state, revision), bytes);
    }

    private async Task<(TState State, long? Revision, long Bytes)> FoldStreamAsync<TState, TEvent>(StreamState<TState> from, IEvolver<TState, TEvent> evolver, CancellationToken cancellationToken)
    {
        var state = from.State;
        var revision = from.Revision;
        long bytes = 0;
        await foreach (var record in Store.ReadStreamAsync(from.Stream, (revision ?? -1) + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            state = Fold(evolver, state, record);
            revision = record.Revision;
            bytes += EncodedSize.Of(record);
        }

        return (state, revision, bytes);
    }
}
