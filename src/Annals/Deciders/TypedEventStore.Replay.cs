using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    // A decision whose append the store replayed: the command was sent again, and its events were stored the first time.
    // The events decided now may differ from those stored (they were decided on another state), so the result is read
    // back from the store: the events as stored, and the state caught up with the stream from the state held.
    private async Task<Decision<TState, TEvent>> ReplayedAsync<TState, TEvent>(StreamState<TState> current, IEvolver<TState, TEvent> evolver, AppendResult append, int attempts, CancellationToken cancellationToken)
    {
        var stored = await ReadAppendedAsync<TEvent>(append, cancellationToken).ConfigureAwait(false);
        var now = await CatchUpAsync(current, evolver, cancellationToken).ConfigureAwait(false);
        return new Decision<TState, TEvent>(append.Stream, stored, now.State, append.LastRevision, append.LastPosition, attempts)
        {
            Replayed = true,
            StateRevision = now.Revision,
        };
    }

    // As above, for a decision over a filter: the state is the filter's, folded on from where the decision read it.
    private async Task<QueryDecision<TState, TEvent>> ReplayedAsync<TState, TEvent>(EventFilter consistency, IEvolver<TState, TEvent> evolver, EvolveResult<TState> folded, IReadOnlyList<AppendResult> appends, int attempts, CancellationToken cancellationToken)
    {
        var stored = new List<TEvent>();
        foreach (var append in appends)
        {
            stored.AddRange(await ReadAppendedAsync<TEvent>(append, cancellationToken).ConfigureAwait(false));
        }

        var now = await EvolveAsync(evolver, folded.State, new EvolveOptions { Filter = consistency, AfterPosition = folded.Position }, cancellationToken).ConfigureAwait(false);
        return new QueryDecision<TState, TEvent>(stored, now.State, Math.Max(now.Position, appends[^1].LastPosition), appends, attempts) { Replayed = true };
    }

    private async Task<List<TEvent>> ReadAppendedAsync<TEvent>(AppendResult append, CancellationToken cancellationToken)
    {
        var count = (int)Math.Min(append.LastRevision - append.FirstRevision + 1, int.MaxValue);
        var events = new List<TEvent>(count);
        await foreach (var record in Store.ReadStreamAsync(append.Stream, append.FirstRevision, count, cancellationToken).ConfigureAwait(false))
        {
            foreach (var data in DecodeFor<TEvent>(record))
            {
                events.Add((TEvent)data);
            }
        }

        return events;
    }
}
