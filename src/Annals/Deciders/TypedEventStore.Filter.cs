using Annals.Diagnostics;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    // A cached state is decided on without reading the filter again: the append condition fails if a matching event was
    // stored since, and a rejection or a decision of nothing is checked against the filter before it is believed.
    private async Task<Decision<TState, TEvent>> DecideOverAsync<TCommand, TState, TEvent>(EventFilter consistency, StreamName appendTo, IAsyncDecider<TCommand, TState, TEvent> decider, TCommand command, DecideOptions options, CachedFold? cached, long started, CancellationToken cancellationToken)
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

                return new Decision<TState, TEvent>(appendTo, events, folded.State, null, null, attempt);
            }

            var state = Evolve(decider, folded.State, events);
            var encoded = Encode(events, appendTo, context, options.Context is not null);
            var batch = new CommitBatch()
                .RequireNoneAfter(consistency, folded.Position)
                .Append(appendTo, ExpectedRevision.Any, encoded);
            try
            {
                var append = (await Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false)).Appends[0];

                // A new append lies past everything folded; one at or before it was stored by an earlier send of this command.
                if (append.LastPosition <= folded.Position)
                {
                    cached?.Forget();
                    return await ReplayedAsync(consistency, decider, folded.AsResult(), append, attempt, cancellationToken).ConfigureAwait(false);
                }

                cached?.Keep(FilterStateAfter(consistency, appendTo, decider, folded.State, events, encoded, out var added), append.LastPosition, added);
                return new Decision<TState, TEvent>(appendTo, events, state, append.LastRevision, append.LastPosition, attempt);
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
                    await PauseBeforeRetryAsync(appendTo, attempt, options, conflict, started, cancellationToken).ConfigureAwait(false);
                    attempt++;
                }

                // The folded state stays valid up to its position; only what came after needs folding.
                folded = await FoldFilterAsync(consistency, decider, folded.State, folded.Position, cached, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The filter's state after a commit whose condition held: nothing of the filter was stored between the state's position
    // and the append, so it is the state with those of the appended events that the filter matches folded in.
    private static TState FilterStateAfter<TState, TEvent>(EventFilter consistency, StreamName appendTo, IEvolver<TState, TEvent> evolver, TState state, List<TEvent> events, List<EventData> encoded, out long bytes)
    {
        bytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (consistency.Matches(appendTo, encoded[i].Type))
            {
                state = evolver.Evolve(state, events[i]);
                bytes += EncodedSize.Of(encoded[i]);
            }
        }

        return state;
    }

    // Folds the filter's events after a position into a state valid there, and keeps the result in the cache when given one.
    private async Task<FilterFold<TState>> FoldFilterAsync<TState, TEvent>(EventFilter consistency, IEvolver<TState, TEvent> evolver, TState state, long afterPosition, CachedFold? cached, CancellationToken cancellationToken)
    {
        var position = afterPosition;
        long bytes = 0;
        await foreach (var record in Store.ReadAllAsync(afterPosition, consistency, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            state = Fold(evolver, state, record);
            position = record.Position;
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
