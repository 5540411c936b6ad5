using Annals.Diagnostics;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    // Decides over a filter and appends to one stream: a decision over a query whose events all go there.
    private async Task<Decision<TState, TEvent>> DecideOverAsync<TCommand, TState, TEvent>(EventFilter consistency, StreamName appendTo, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions options, CachedFold? cached, long started, CancellationToken cancellationToken)
    {
        var placement = new EventPlacement(appendTo);
        var decided = await DecideOverQueryAsync(consistency, _ => placement, appendTo, decider, command, options, cached, started, cancellationToken).ConfigureAwait(false);
        var append = decided.Appends.Count > 0 ? decided.Appends[0] : null;
        return new Decision<TState, TEvent>(appendTo, decided.Events, decided.State, append?.LastRevision, append?.LastPosition, decided.Attempts) { Replayed = decided.Replayed };
    }

    // A cached state is decided on without reading the filter again: the append condition fails if a matching event was
    // stored since, and a rejection or a decision of nothing is checked against the filter before it is believed.
    // A lost race is logged, and a DecisionConflictException named, by the stream of the first decided event. scope, with
    // the command's message id, derives the events' ids: the same for a resent command wherever its new decision places them, so a resend that decides other
    // events fails on the stored ids (DuplicateEventIdException) rather than storing them twice.
    private async Task<QueryDecision<TState, TEvent>> DecideOverQueryAsync<TCommand, TState, TEvent>(EventFilter consistency, Func<TEvent, EventPlacement> place, StreamName scope, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions options, CachedFold? cached, long started, CancellationToken cancellationToken)
    {
        var context = options.Context ?? Correlation.NewContext();
        Correlation.Tag(context);
        CachedState? entry = null;
        var unverified = cached is not null && cached.TryGet(out entry);
        var folded = entry is not null
            ? new FilterFold<TState>((TState)entry.State!, entry.Mark)
            : await FoldFilterAsync(consistency, decider, decider.InitialState, 0, cached, cancellationToken).ConfigureAwait(false);
        var attempt = 1;
        while (true)
        {
            List<TEvent> events;
            try
            {
                events = (await decider.DecideAsync(command, folded.State, cancellationToken).ConfigureAwait(false)).ToList();
            }
            catch (Exception) when (unverified && !cancellationToken.IsCancellationRequested)
            {
                unverified = false;
                var refreshed = await FoldFilterAsync(consistency, decider, folded.State, folded.Position, cached, cancellationToken).ConfigureAwait(false);
                if (refreshed.Position == folded.Position)
                {
                    throw;
                }

                folded = refreshed;
                continue;
            }

            if (events.Count == 0)
            {
                if (unverified)
                {
                    unverified = false;
                    var refreshed = await FoldFilterAsync(consistency, decider, folded.State, folded.Position, cached, cancellationToken).ConfigureAwait(false);
                    if (refreshed.Position != folded.Position)
                    {
                        folded = refreshed;
                        continue;
                    }
                }

                return new QueryDecision<TState, TEvent>(events, folded.State, folded.Position, [], attempt);
            }

            var placed = Place(events, place, scope, context, options.Context is not null);
            var state = Evolve(decider, folded.State, placed.Events);
            var batch = new CommitBatch().RequireNoneAfter(consistency, folded.Position);
            foreach (var (stream, encoded) in placed.Streams)
            {
                batch.Append(stream, ExpectedRevision.Any, encoded);
            }

            try
            {
                var appends = (await Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false)).Appends;

                // A new append lies past everything folded; one at or before it was stored by an earlier send of this command.
                if (appends.All(a => a.LastPosition <= folded.Position))
                {
                    cached?.Forget();
                    return await ReplayedAsync(consistency, decider, folded.AsResult(), appends, attempt, cancellationToken).ConfigureAwait(false);
                }

                cached?.Keep(FilterStateAfter(consistency, decider, folded.State, placed, out var added), appends[^1].LastPosition, added);
                return new QueryDecision<TState, TEvent>(placed.Events, state, appends[^1].LastPosition, appends, attempt);
            }
            catch (AppendConditionFailedException conflict)
            {
                if (unverified)
                {
                    // The cached state was stale, no race lost: fold what is new and decide again at once.
                    unverified = false;
                }
                else
                {
                    await PauseBeforeRetryAsync(placed.Streams[0].Stream, attempt, options, conflict, started, cancellationToken).ConfigureAwait(false);
                    attempt++;
                }

                // The folded state stays valid up to its position; only what came after needs folding.
                folded = await FoldFilterAsync(consistency, decider, folded.State, folded.Position, cached, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Groups the decided events by stream (a batch appends to a stream once), each stream's in the order decided, and
    // encodes each with its tags. With the command's own id given, an event's id derives from it, the decision's scope and
    // its index in the decision, so a resent command decides the same ids.
    private PlacedEvents<TEvent> Place<TEvent>(List<TEvent> events, Func<TEvent, EventPlacement> place, StreamName scope, MessageContext context, bool deriveIds)
    {
        var streams = new List<(StreamName Stream, List<(int Index, TEvent Event, EventPlacement Placement)> Events)>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new InvalidOperationException("A decider returned a null event.");
            var placement = place(e);
            if (placement.Stream.IsEmpty)
            {
                throw new InvalidOperationException($"The placement of a decided {e.GetType().Name} names no stream.");
            }

            var group = streams.FindIndex(s => s.Stream == placement.Stream);
            if (group < 0)
            {
                streams.Add((placement.Stream, []));
                group = streams.Count - 1;
            }

            streams[group].Events.Add((i, e, placement));
        }

        var ordered = new List<TEvent>(events.Count);
        var tags = new List<IReadOnlyList<string>>(events.Count);
        var encodedStreams = new List<(StreamName Stream, List<EventData> Events)>(streams.Count);
        foreach (var (stream, placed) in streams)
        {
            var encoded = new List<EventData>(placed.Count);
            foreach (var (index, e, placement) in placed)
            {
                var data = Codec.Encode(e!, deriveIds ? EventIds.Derive(scope, context.MessageId, index) : Guid.CreateVersion7(), context);
                encoded.Add(placement.Tags is { Count: > 0 } eventTags ? data.WithTags(eventTags) : data);
                ordered.Add(e);
            }

            encodedStreams.Add((stream, encoded));
        }

        return new PlacedEvents<TEvent>(ordered, encodedStreams);
    }

    private sealed record PlacedEvents<TEvent>(List<TEvent> Events, List<(StreamName Stream, List<EventData> Events)> Streams);

    // The filter's state after a commit whose condition held: nothing of the filter was stored between the state's position
    // and the appends, so it is the state with those of the appended events that the filter matches (by stream, type and
    // tags) folded in, in the order stored.
    private static TState FilterStateAfter<TState, TEvent>(EventFilter consistency, IEvolver<TState, TEvent> evolver, TState state, PlacedEvents<TEvent> placed, out long bytes)
    {
        bytes = 0;
        var i = 0;
        foreach (var (stream, encoded) in placed.Streams)
        {
            foreach (var data in encoded)
            {
                if (consistency.Matches(stream, data.Type, data.Tags))
                {
                    state = evolver.Evolve(state, placed.Events[i]);
                    bytes += EncodedSize.Of(data);
                }

                i++;
            }
        }

        return state;
    }

    // Folds the filter's events after a position into a state valid there, and keeps the result in the cache when given one.
    private async Task<FilterFold<TState>> FoldFilterAsync<TState, TEvent>(EventFilter consistency, IEvolver<TState, TEvent> evolver, TState state, long afterPosition, CachedFold? cached, CancellationToken cancellationToken)
    {
        // The head is read first: every event up to it is stored, and a reader sees no lower position appear later, so the
        // read below sees every matching one of them. The fold is valid up to the head even when the last match is older,
        // and the next refresh need not read the events between them again.
        var position = Math.Max(afterPosition, await Store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false));
        long bytes = 0;
        await foreach (var record in Store.ReadAllAsync(afterPosition, consistency, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            state = Fold(evolver, state, record);
            position = Math.Max(position, record.Position);
            bytes += EncodedSize.Of(record);
        }

        if (cached is not null)
        {
            cached.Keep(state, position, bytes);
        }

        return new FilterFold<TState>(state, position);
    }

    private readonly record struct FilterFold<TState>(TState State, long Position)
    {
        public EvolveResult<TState> AsResult() => new(State, Position, 0);
    }
}
