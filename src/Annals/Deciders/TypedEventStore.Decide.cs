using Annals.Serialization;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Loads a stream's state, decides a command on it and appends the events, expecting the revision the state was loaded at; a lost race reloads and decides again.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="stream">The stream.</param>
    /// <param name="decider">The decider.</param>
    /// <param name="command">The command.</param>
    /// <param name="options">Attempts, correlation, snapshots; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work; a commit already sent may still be stored.</param>
    /// <returns>The events, the state after them, the new revision and position.</returns>
    /// <exception cref="DecisionConflictException">Every attempt lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type (or, with snapshots, the state type) is not registered; nothing is stored.</exception>
    /// <remarks>An exception from <see cref="IDecider{TCommand, TState, TEvent}.Decide"/> (the command's rejection) passes through unchanged, and nothing is stored.</remarks>
    public async Task<Decision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(StreamName stream, IDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DecideOptions.Default;
        options.Validate();
        var current = await LoadAsync(stream, decider, cancellationToken).ConfigureAwait(false);
        return await DecideOnAsync(current, decider, command, options, (_, before, after) => options.SnapshotDue(before, after), cancellationToken).ConfigureAwait(false);
    }

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
    /// <exception cref="DecisionConflictException">Every attempt lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type (or, with snapshots, the state type) is not registered; nothing is stored.</exception>
    public Task<Decision<TState, TEvent>> DecideAndEvolveAsync<TCommand, TState, TEvent>(StreamState<TState> current, IDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        options ??= DecideOptions.Default;
        options.Validate();
        return DecideOnAsync(current, decider, command, options, (_, before, after) => options.SnapshotDue(before, after), cancellationToken);
    }

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
    /// <exception cref="DecisionConflictException">Every attempt lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type is not registered; nothing is stored.</exception>
    public async Task<Decision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(EventFilter consistency, StreamName appendTo, IDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consistency);
        ArgumentNullException.ThrowIfNull(decider);
        options ??= DecideOptions.Default;
        options.Validate();
        var context = options.Context ?? MessageContext.New();
        var evolveOptions = new EvolveOptions { Filter = consistency };
        var folded = await EvolveAsync(decider, decider.InitialState, evolveOptions, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var events = decider.Decide(command, folded.State).ToList();
            if (events.Count == 0)
            {
                return new Decision<TState, TEvent>(appendTo, events, folded.State, null, null, attempt);
            }

            var state = Evolve(decider, folded.State, events);
            var batch = new CommitBatch()
                .RequireNoneAfter(consistency, folded.Position)
                .Append(appendTo, ExpectedRevision.Any, Encode(events, context));
            try
            {
                var append = (await Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false)).Appends[0];
                return new Decision<TState, TEvent>(appendTo, events, state, append.LastRevision, append.LastPosition, attempt);
            }
            catch (AppendConditionFailedException conflict)
            {
                await PauseBeforeRetryAsync(appendTo, attempt, options, conflict, cancellationToken).ConfigureAwait(false);

                // The folded state stays valid up to its position; only what came after needs folding.
                folded = await EvolveAsync(decider, folded.State, new EvolveOptions { Filter = consistency, AfterPosition = folded.Position }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TState Evolve<TState, TEvent>(IEvolver<TState, TEvent> evolver, TState state, List<TEvent> events)
    {
        foreach (var e in events)
        {
            state = evolver.Evolve(state, e);
        }

        return state;
    }

    private static async Task PauseBeforeRetryAsync(StreamName stream, int attempt, DecideOptions options, ConcurrencyException conflict, CancellationToken cancellationToken)
    {
        if (attempt >= options.MaxAttempts)
        {
            throw new DecisionConflictException(stream, attempt, conflict);
        }

        // Full jitter: deciders that collided once should not collide again in lockstep.
        var delay = Backoff.FullJitter(options.RetryDelay, MaxRetryDelay, attempt, Random.Shared);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<EventData> Encode<TEvent>(List<TEvent> events, MessageContext context)
    {
        var encoded = new List<EventData>(events.Count);
        foreach (var e in events)
        {
            encoded.Add(Codec.Encode(e ?? throw new InvalidOperationException("A decider returned a null event."), context));
        }

        return encoded;
    }

    // Decides on a held state, appends, and on a lost race catches up and decides again. snapshotDue, given the state
    // after the events and the revisions before and after them, says whether to save a snapshot in the same commit.
    internal async Task<Decision<TState, TEvent>> DecideOnAsync<TCommand, TState, TEvent>(StreamState<TState> current, IDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions options, Func<TState, long?, long, bool> snapshotDue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decider);
        var context = options.Context ?? MessageContext.New();
        for (var attempt = 1; ; attempt++)
        {
            var events = decider.Decide(command, current.State).ToList();
            if (events.Count == 0)
            {
                return new Decision<TState, TEvent>(current.Stream, events, current.State, current.Revision, null, attempt);
            }

            var state = Evolve(decider, current.State, events);
            var revision = (current.Revision ?? -1) + events.Count;
            var batch = new CommitBatch().Append(current.Stream, current.Expected, Encode(events, context));
            if (snapshotDue(state, current.Revision, revision))
            {
                var (type, data) = Codec.EncodeState(state);
                batch.SaveSnapshot(current.Stream, revision, type, data);
            }

            try
            {
                var append = (await Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false)).Appends[0];
                return new Decision<TState, TEvent>(current.Stream, events, state, append.LastRevision, append.LastPosition, attempt);
            }
            catch (WrongExpectedRevisionException conflict) when (conflict.Stream == current.Stream)
            {
                await PauseBeforeRetryAsync(current.Stream, attempt, options, conflict, cancellationToken).ConfigureAwait(false);
                current = await CatchUpAsync(current, decider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
