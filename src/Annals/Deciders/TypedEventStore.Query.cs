using Annals.Diagnostics;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    /// <summary>
    /// Decides a command on the events of a query (a filter, typically of tags: <c>EventFilter.Query(["StudentSubscribed"], ["course:c1"])</c>),
    /// and appends the decided events to whichever streams <paramref name="place"/> names, with their tags, on condition
    /// that no event of the query was stored since it was read: of two concurrent decisions over overlapping queries, one
    /// wins and the other decides again on what the winner stored. The dynamic consistency boundary: a decision guards
    /// exactly the facts it read, so decisions about other courses, students or usernames never conflict with it.
    /// </summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="consistency">The query: the events the decision depends on.</param>
    /// <param name="decider">The decider; its state is folded from the query's events.</param>
    /// <param name="command">The command.</param>
    /// <param name="place">Each decided event's stream and tags. Give an event the tags the queries that must see it ask for.</param>
    /// <param name="options">Retries, correlation and cache (snapshots do not apply); defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work; a commit already sent may still be stored.</param>
    /// <returns>The events in the order stored, the state after them, the position the decision is consistent up to, and each stream's append.</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race (its <c>Stream</c> is that of the first decided event); nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type is not registered; nothing is stored.</exception>
    /// <exception cref="InvalidNameException">A decided event's tag is malformed; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    /// <remarks>
    /// The events are appended grouped by stream, in the order each stream first comes up in the decision. With
    /// <see cref="DecideOptions.Context"/> given, each event's id derives from its message id and its index in the decision, so
    /// a command sent again stores nothing twice: deciding the same events, it is recognised
    /// (<see cref="QueryDecision{TState, TEvent}.Replayed"/>); deciding others (the next invoice number, now that its first
    /// send took one), it fails with <see cref="DuplicateEventIdException"/>.
    /// </remarks>
    public Task<QueryDecision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(EventFilter consistency, IDecider<TCommand, TState, TEvent> decider, TCommand command, Func<TEvent, EventPlacement> place, DecideOptions? options = null, CancellationToken cancellationToken = default) =>
        DecideAsync(consistency, SynchronousDecider<TCommand, TState, TEvent>.Of(decider), command, place, options, cancellationToken);

    /// <summary>Awaits an asynchronous decider's decision on the events of a query, and appends the events where <paramref name="place"/> says, as <see cref="DecideAsync{TCommand, TState, TEvent}(EventFilter, IDecider{TCommand, TState, TEvent}, TCommand, Func{TEvent, EventPlacement}, DecideOptions?, CancellationToken)"/> does.</summary>
    /// <typeparam name="TCommand">The command.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="consistency">The query: the events the decision depends on.</param>
    /// <param name="decider">The decider; its state is folded from the query's events, and its decision may call out.</param>
    /// <param name="command">The command.</param>
    /// <param name="place">Each decided event's stream and tags.</param>
    /// <param name="options">Retries, correlation and cache; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work, the decision included; a commit already sent may still be stored.</param>
    /// <returns>The events in the order stored, the state after them, the position the decision is consistent up to, and each stream's append.</returns>
    /// <exception cref="DecisionConflictException">Every attempt within <see cref="DecideOptions.RetryBudget"/> lost the race (its <c>Stream</c> is that of the first decided event); nothing of this command is stored.</exception>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    /// <exception cref="UnregisteredTypeException">A decided event's type is not registered; nothing is stored.</exception>
    /// <exception cref="InvalidNameException">A decided event's tag is malformed; nothing is stored.</exception>
    /// <exception cref="DuplicateEventIdException">The command was sent again with the same message id and decided more events than the first time; nothing more is stored.</exception>
    public async Task<QueryDecision<TState, TEvent>> DecideAsync<TCommand, TState, TEvent>(EventFilter consistency, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, Func<TEvent, EventPlacement> place, DecideOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consistency);
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentNullException.ThrowIfNull(place);
        options ??= DecideOptions.Default;
        options.Validate();
        var started = Time.GetTimestamp();
        var named = QueryStream;
        using var span = DecideSpan.Start(named);
        try
        {
            var cached = CachedFoldFor(StateKey.ForFilter<TState>(consistency, decider), options);
            var decision = await DecideOverQueryAsync(consistency, place, named, decider, command, options, cached, started, cancellationToken).ConfigureAwait(false);
            DecideSpan.Done(span, decision.Attempts, decision.Events.Count);
            return decision;
        }
        catch (Exception e) when (DecideSpan.Failed(span, e))
        {
            throw;
        }
    }

    // A decision over a query has no one stream: its span is named so, and its events' ids derive from it.
    private static readonly StreamName QueryStream = StreamName.For("query", "decision");
}
