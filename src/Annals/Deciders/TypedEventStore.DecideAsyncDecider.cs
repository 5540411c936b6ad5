using Annals.Serialization;
using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    /// <summary>Loads a stream's state (from the cache of folded states when it holds it, reading only the later events), awaits an asynchronous decider's decision on it and appends the events, expecting the revision the state was loaded at; a lost race catches up and decides again.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="stream">The stream.</param>
    /// <param name="decider">The decider; its decision may call out, and runs again on each lost race.</param>
    /// <param name="command">The command.</param>
    /// <param name="options">Attempts, correlation, snapshots, cache; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work, the decision included; a commit already sent may still be stored.</param>
    /// <returns>The events, the state after them, the new revision and position.</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type (or, with snapshots, the state type) is not registered; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    /// <remarks>An exception from <see cref="IAsyncDecider{TCommand, TState, TEvent}.DecideAsync"/> (the command's rejection) passes through unchanged, and nothing is stored; so does its cancellation.</remarks>
    public async Task<Decision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(StreamName stream, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decider);
        options ??= DecideOptions.Default;
        options.Validate();
        var started = Time.GetTimestamp();
        using var span = DecideSpan.Start(stream);
        try
        {
            var cached = CachedFoldFor(StateKey.ForStream<TState>(stream, decider), options);
            var (current, unverified) = await StateToDecideOnAsync(stream, decider, cached, cancellationToken).ConfigureAwait(false);
            return DecideSpan.Done(span, await DecideOnAsync(current, decider, command, options, (_, before, after) => options.SnapshotDue(before, after), null, cached, started, cancellationToken, unverified).ConfigureAwait(false));
        }
        catch (Exception e) when (DecideSpan.Failed(span, e))
        {
            throw;
        }
    }

    /// <summary>Awaits an asynchronous decider's decision on a state the caller already holds, appends the events and evolves the state; a lost race catches up with the stream and decides again.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="current">The state held, and the revision it was folded up to.</param>
    /// <param name="decider">The decider; its decision may call out, and runs again on each lost race.</param>
    /// <param name="command">The command.</param>
    /// <param name="options">Attempts, correlation, snapshots; defaults when <see langword="null"/>. The cache does not apply: the state is the caller's.</param>
    /// <param name="cancellationToken">Stops the work, the decision included; a commit already sent may still be stored.</param>
    /// <returns>The events, the evolved state, the new revision and position.</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type (or, with snapshots, the state type) is not registered; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    public async Task<Decision<TState, TEvent>> DecideAndEvolveAsync<TCommand, TState, TEvent>(StreamState<TState> current, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decider);
        options ??= DecideOptions.Default;
        options.Validate();
        var started = Time.GetTimestamp();
        using var span = DecideSpan.Start(current.Stream);
        try
        {
            return DecideSpan.Done(span, await DecideOnAsync(current, decider, command, options, (_, before, after) => options.SnapshotDue(before, after), null, null, started, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (DecideSpan.Failed(span, e))
        {
            throw;
        }
    }

    /// <summary>Awaits an asynchronous decider's decision on the events of a filter that may span many streams, and appends the events to one stream on condition that no event of the filter was stored since they were read: of two concurrent decisions over one filter, one wins and the other decides again.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="consistency">The events the decision depends on, e.g. <c>user.*.UsernameClaimed</c>.</param>
    /// <param name="appendTo">The stream the decided events go to (with any expected revision).</param>
    /// <param name="decider">The decider; its state is folded from the filter's events, and its decision may call out.</param>
    /// <param name="command">The command.</param>
    /// <param name="options">Attempts, correlation and cache (snapshots do not apply); defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work, the decision included; a commit already sent may still be stored.</param>
    /// <returns>The events, the state after them, and the revision and position of the append (<see langword="null"/> when nothing was appended).</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race; nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type is not registered; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    public async Task<Decision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(EventFilter consistency, StreamName appendTo, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consistency);
        ArgumentNullException.ThrowIfNull(decider);
        options ??= DecideOptions.Default;
        options.Validate();
        var started = Time.GetTimestamp();
        using var span = DecideSpan.Start(appendTo);
        try
        {
            var cached = CachedFoldFor(StateKey.ForFilter<TState>(consistency, decider), options);
            return DecideSpan.Done(span, await DecideOverAsync(consistency, appendTo, decider, command, options, cached, started, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (DecideSpan.Failed(span, e))
        {
            throw;
        }
    }
}
