using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    /// <summary>How many folded states the cache holds now.</summary>
    internal int CachedStates => Cache.Count;

    /// <summary>The estimated bytes of the folded states the cache holds now.</summary>
    internal long CachedBytes => Cache.Bytes;

    private DecisionCache Cache { get; }

    private CachedFold? CachedFoldFor(StateKey key, DecideOptions options) =>
        options.UseCache && Cache.Enabled ? new CachedFold(Cache, key) : null;

    // The state a decision on a stream starts from: the cached one, not read again (Unverified), or the stream folded from its
    // snapshot. A cached state is decided on as it is: the commit's expected revision fails if the stream moved on since, and
    // a rejection or a decision of nothing is checked against the stream before it is believed (DecideOnAsync).
    private async Task<(StreamState<TState> Current, bool Unverified)> StateToDecideOnAsync<TState, TEvent>(StreamName stream, IEvolver<TState, TEvent> evolver, CachedFold? cached, CancellationToken cancellationToken)
    {
        if (cached is null)
        {
            return (await LoadAsync(stream, evolver, cancellationToken).ConfigureAwait(false), false);
        }

        if (cached.TryGet(out var entry))
        {
            return (new StreamState<TState>(stream, (TState)entry.State!, entry.Mark), true);
        }

        var (loaded, bytes) = await RecoverSizedAsync(stream, evolver, null, cancellationToken).ConfigureAwait(false);
        KeepLoaded(cached, loaded, bytes);
        return (loaded, false);
    }

    // Brings a state that came from the store up to date, reading from its own revision: the event there must still be
    // stored. Revisions are never reused, so when it is gone the stream was deleted (and maybe created again) or
    // truncated past it since, and the state is folded again as a load would, from the snapshot or the first event. Moved
    // says whether the state changed: events were folded in, or it was folded again.
    private async Task<(StreamState<TState> Current, bool Moved)> RefreshAsync<TState, TEvent>(StreamState<TState> held, CachedFold cached, IEvolver<TState, TEvent> evolver, CancellationToken cancellationToken)
    {
        if (held.Revision is { } anchor)
        {
            var state = held.State;
            long? revision = null;
            long added = 0;
            await foreach (var record in Store.ReadStreamAsync(held.Stream, anchor, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (revision is null)
                {
                    if (record.Revision != anchor)
                    {
                        break;
                    }

                    revision = anchor;
                    continue;
                }

                state = Fold(evolver, state, record);
                revision = record.Revision;
                added += EncodedSize.Of(record);
            }

            if (revision is { } last)
            {
                var refreshed = new StreamState<TState>(held.Stream, state, last);
                cached.Keep(state, last, added);
                return (refreshed, last != anchor);
            }
        }

        var (loaded, bytes) = await RecoverSizedAsync(held.Stream, evolver, null, cancellationToken).ConfigureAwait(false);
        KeepLoaded(cached, loaded, bytes);
        return (loaded, true);
    }

    // A stream with no event has no anchor to check a cached state against: nothing is kept for it.
    private static void KeepLoaded<TState>(CachedFold cached, StreamState<TState> loaded, long bytes)
    {
        if (loaded.Revision is { } revision)
        {
            cached.Restart(loaded.State, revision, bytes);
        }
        else
        {
            cached.Forget();
        }
    }
}
