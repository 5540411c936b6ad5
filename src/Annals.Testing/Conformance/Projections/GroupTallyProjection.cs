using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Annals.Projections;
using Annals.Storage;

namespace Annals.Testing.Conformance.Projections;

/// <summary>
/// A member's handler of a partitioned projection for the suite: it counts each stream's events in the stream's own
/// durable state, in the checkpoint's commit, and checks that every batch continues its stream exactly where the
/// count stands (so nothing is skipped, repeated or reordered) and that no other member handles the stream meanwhile.
/// </summary>
internal sealed class GroupTallyProjection(string member, IEventStore store, ConcurrentDictionary<StreamName, string> inHand, ConcurrentQueue<string> violations) : IProjection
{
    public static StreamName KeyOf(StreamName stream) => StreamName.For("gtally", stream.Value.Replace('.', '-'));

    public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var streams = batch.Events.GroupBy(e => e.Stream).ToList();
        foreach (var stream in streams)
        {
            if (!inHand.TryAdd(stream.Key, member))
            {
                violations.Enqueue($"{member} took {stream.Key} while {inHand.GetValueOrDefault(stream.Key)} had it");
            }
        }

        try
        {
            // Widens the window in which two members would overlap if partitions were not exclusive.
            await Task.Delay(2, cancellationToken);
            foreach (var stream in streams)
            {
                var key = KeyOf(stream.Key);
                var state = await store.ReadStateAsync(key, cancellationToken);
                var count = state is null ? 0 : long.Parse(Encoding.UTF8.GetString(state.Data.Span), CultureInfo.InvariantCulture);
                if (stream.First().Revision != count)
                {
                    violations.Enqueue($"{member} got {stream.Key} at revision {stream.First().Revision} with {count} counted");
                }

                batch.Commit.SaveState(key, (state?.Version ?? 0) + 1, "count", Encoding.UTF8.GetBytes((count + stream.Count()).ToString(CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                inHand.TryRemove(new KeyValuePair<StreamName, string>(stream.Key, member));
            }
        }
    }
}
