using Annals.Diagnostics;
using Annals.Serialization;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Loads a stream's state (from the cache of folded states when it holds it, reading only the later events), decides a command on it and appends the events, expecting the revision the state was loaded at; a lost race catches up and decides again.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="stream">The stream.</param>
    /// <param name="decider">The decider.</param>
    /// <param name="command">The command.</param>
    /// <param name="options">Attempts, correlation, snapshots; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work; a commit already sent may still be stored.</param>
    /// <returns>The events, the state after them, the new revision and position.</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type (or, with snapshots, the state type) is not registered; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    /// <remarks>
    /// An exception from <see cref="IDecider{TCommand, TState, TEvent}.Decide"/> (the command's rejection) passes through unchanged, and nothing is stored.
    /// With <see cref="DecideOptions.Context"/> given, the events' ids derive from its message id (<see cref="EventIds"/>), so a command sent again
    /// after an unknown outcome is safe: when its events were stored the first time and it decides no more of them, nothing is stored again and the
    /// result is <see cref="Decision{TState, TEvent}.Replayed"/>.
    /// </remarks>
    public Task<Decision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(StreamName stream, IDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default) =>
        DecideAsync(stream, SynchronousDecider<TCommand, TState, TEvent>.Of(decider), command, options, cancellationToken);

    /// <summary>Decides a command on a state the caller already holds (from <see cref="LoadAsync"/> or an earlier <see cref="Decision{TState, TEvent}.After"/>), appends the events and evolves the state; a lost race catches up with the stream and decides again.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="current">The state held, and the revision it was folded up to.</param>
    /// <param name="decider">The decider.</param>
    /// <param name="command">The command.</param>
    /// <param name="options">Attempts, correlation, snapshots; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work; a commit already sent may still be stored.</param>
    /// <returns>The events, the evolved state, the new revision and position.</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type (or, with snapshots, the state type) is not registered; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    /// <remarks>A command sent again with the same <see cref="DecideOptions.Context"/> is recognised as <see cref="DecideAsync{TCommand, TState, TEvent}(StreamName, IDecider{TCommand, TState, TEvent}, TCommand, DecideOptions?, CancellationToken)"/> tells.</remarks>
    public Task<Decision<TState, TEvent>> DecideAndEvolveAsync<TCommand, TState, TEvent>(StreamState<TState> current, IDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default) =>
        DecideAndEvolveAsync(current, SynchronousDecider<TCommand, TState, TEvent>.Of(decider), command, options, cancellationToken);

    /// <summary>Decides a command on the events of a filter that may span many streams, and appends the events to one stream on condition that no event of the filter was stored since they were read: of two concurrent decisions over one filter, one wins and the other decides again.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="consistency">The events the decision depends on, e.g. <c>user.*.UsernameClaimed</c>.</param>
    /// <param name="appendTo">The stream the decided events go to (with any expected revision).</param>
    /// <param name="decider">The decider; its state is folded from the filter's events.</param>
    /// <param name="command">The command.</param>
    /// <param name="options">Attempts and correlation (snapshots do not apply); defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work; a commit already sent may still be stored.</param>
    /// <returns>The events, the state after them, and the revision and position of the append (<see langword="null"/> when nothing was appended).</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type is not registered; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    /// <remarks>
    /// With <see cref="DecideOptions.Context"/> given, the events' ids derive from its message id and <paramref name="appendTo"/>, so a command sent
    /// again is recognised when it decides no more events than the first time: nothing is stored again and the result is
    /// <see cref="Decision{TState, TEvent}.Replayed"/>. A decider that rejects what its own first send stored (a claim already taken) still rejects it.
    /// </remarks>
    public Task<Decision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(EventFilter consistency, StreamName appendTo, IDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default) =>
        DecideAsync(consistency, appendTo, SynchronousDecider<TCommand, TState, TEvent>.Of(decider), command, options, cancellationToken);

    private static TState Evolve<TState, TEvent>(IEvolver<TState, TEvent> evolver, TState state, List<TEvent> events)
    {
        foreach (var e in events)
        {
            state = evolver.Evolve(state, e);
        }

        return state;
    }

    // A lost race decides again after a jittered pause that doubles per attempt, while the pause ends within the budget
    // (counted from the call's start, on the store's clock) and below the optional cap of attempts.
    private async Task PauseBeforeRetryAsync(StreamName stream, int attempt, DecideOptions options, ConcurrencyException conflict, long started, CancellationToken cancellationToken)
    {
        // Full jitter: deciders that collided once should not collide again in lockstep.
        var delay = Backoff.FullJitter(options.RetryDelay, MaxRetryDelay, attempt, Random.Shared);
        if (attempt >= options.MaxAttempts || Time.GetElapsedTime(started) + delay > options.RetryBudget)
        {
            DecideLog.GaveUp(Logger, stream, attempt, conflict.GetType().Name);
            throw new DecisionConflictException(stream, attempt, conflict);
        }

        DecideLog.Retrying(Logger, stream, attempt, conflict.GetType().Name);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // With the command's own id given, its events' ids derive from it: sent again, the command decides the same ids, and
    // the store recognises them as stored. Without one there is nothing to send again, and the ids are new.
    private List<EventData> Encode<TEvent>(List<TEvent> events, StreamName stream, MessageContext context, bool deriveIds)
    {
        var encoded = new List<EventData>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new InvalidOperationException("A decider returned a null event.");
            encoded.Add(Codec.Encode(e, deriveIds ? EventIds.Derive(stream, context.MessageId, i) : Guid.CreateVersion7(), context));
        }

        return encoded;
    }

    // Decides on a held state, appends, and on a lost race catches up and decides again. snapshotDue, given the state
    // after the events and the revisions before and after them, says whether to save a snapshot in the same commit;
    // snapshotSaved hears when one was. With a cache, the state after a commit goes to the cache, and a lost race refreshes
    // through the cache's anchored read; unverified says the state came from the cache without a read (see DecideOnCachedAsync).
    internal async Task<Decision<TState, TEvent>> DecideOnAsync<TCommand, TState, TEvent>(StreamState<TState> current, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions options, Func<TState, long?, long, bool> snapshotDue, Action? snapshotSaved, CachedFold? cached, long started, CancellationToken cancellationToken, bool unverified = false)
    {
        ArgumentNullException.ThrowIfNull(decider);
        var context = options.Context ?? Correlation.NewContext();
        Correlation.Tag(context);
        var mayBeResent = options.Context is not null;
        var attempt = 1;
        while (true)
        {
            List<TEvent> events;
            try
            {
                events = (await decider.DecideAsync(command, current.State, cancellationToken).ConfigureAwait(false)).ToList();
            }
            catch (Exception) when (unverified && !cancellationToken.IsCancellationRequested)
            {
                // A rejection stands only on a state known to be current: a cached one is checked against the stream first.
                unverified = false;
                var (refreshed, moved) = await RefreshAsync(current, cached!, decider, cancellationToken).ConfigureAwait(false);
                if (!moved)
                {
                    throw;
                }

                current = refreshed;
                continue;
            }

            if (events.Count == 0)
            {
                if (unverified)
                {
                    // So does "nothing to do".
                    unverified = false;
                    var (refreshed, moved) = await RefreshAsync(current, cached!, decider, cancellationToken).ConfigureAwait(false);
                    if (moved)
                    {
                        current = refreshed;
                        continue;
                    }
                }

                return new Decision<TState, TEvent>(current.Stream, events, current.State, current.Revision, null, attempt);
            }

            var state = Evolve(decider, current.State, events);
            var revision = (current.Revision ?? -1) + events.Count;
            var snapshot = snapshotDue(state, current.Revision, revision) ? Codec.EncodeState(state) : ((string Type, byte[] Data)?)null;
            var encoded = Encode(events, current.Stream, context, mayBeResent);
            AppendResult append;
            bool snapshotted;
            try
            {
                (append, snapshotted) = await CommitDecisionAsync(current, encoded, snapshot, revision, mayBeResent, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyException conflict) when (conflict is WrongExpectedRevisionException wrong ? wrong.Stream == current.Stream : conflict is AppendConditionFailedException)
            {
                if (unverified)
                {
                    // The cached state was stale: no race was lost, as none was run from a fresh read. Read what is new and decide again at once.
                    unverified = false;
                    current = (await RefreshAsync(current, cached!, decider, cancellationToken).ConfigureAwait(false)).Current;
                    continue;
                }

                await PauseBeforeRetryAsync(current.Stream, attempt, options, conflict, started, cancellationToken).ConfigureAwait(false);
                attempt++;

                // Only what the stream gained since the state held is read, not the stream from its start.
                current = cached is null
                    ? await CatchUpAsync(current, decider, cancellationToken).ConfigureAwait(false)
                    : (await RefreshAsync(current, cached, decider, cancellationToken).ConfigureAwait(false)).Current;
                continue;
            }

            // A new append starts right after the state it was decided on (its expectation held); any other start means
            // its events were stored by an earlier send of this command. (So does a deleted stream's re-creation, whose
            // revisions go on from before: reading back what was stored is right for it too.)
            if (append.FirstRevision != (current.Revision ?? -1) + 1)
            {
                cached?.Forget();
                return await ReplayedAsync(current, decider, append, attempt, cancellationToken).ConfigureAwait(false);
            }

            if (snapshotted)
            {
                snapshotSaved?.Invoke();
            }

            // The expectation held, so the stream is exactly the state held plus these events.
            cached?.Keep(state, append.LastRevision, EncodedSize.Of(encoded));
            return new Decision<TState, TEvent>(current.Stream, events, state, append.LastRevision, append.LastPosition, attempt);
        }
    }
}
