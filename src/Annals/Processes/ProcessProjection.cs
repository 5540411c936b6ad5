using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Processes;

/// <summary>
/// The event side of a process: a projection whose batch commit carries, with its checkpoint, every instance's new state,
/// commands and timeouts. So each event is handled exactly once, whatever stops the process.
/// </summary>
/// <typeparam name="TState">The state.</typeparam>
internal sealed class ProcessProjection<TState>(IAsyncProcess<TState> process, InstanceStore<TState> instances, EventCodec codec, TimeProvider time, Action committed, Action handled) : IProjection
{
    public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // Routed first, so that every instance the batch touches is loaded in one read.
        var routed = new List<(RecordedEvent Record, object Event, ProcessRoute Route)>(batch.Events.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in batch.Events)
        {
            foreach (var e in codec.Decode(record))
            {
                var route = process.Route(e);
                if (!route.IsIgnored)
                {
                    routed.Add((record, e, route));
                    ids.Add(route.InstanceId!);
                }
            }
        }

        var loaded = ids.Count == 0 ? [] : await instances.LoadAllAsync(ids, cancellationToken).ConfigureAwait(false);
        foreach (var (record, e, route) in routed)
        {
            var id = route.InstanceId!;
            var instance = loaded[id];
            var context = new ProcessContext(instances.Process, id, now, record, null) { IsNew = !instance.Exists };
            if (!instance.Exists && !route.MayStart)
            {
                await process.OnNotFoundAsync(e, context, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var state = instance.Exists ? instance.State : process.InitialState;
            var step = await process.HandleAsync(state, e, context, cancellationToken).ConfigureAwait(false);
            var cause = record.EventId.ToString();
            instance.Apply(step, cause, MessageLinks.CausedBy(cause, record.Metadata));
        }

        var sends = false;
        foreach (var instance in loaded.Values)
        {
            await instances.WriteAsync(instance, batch.Commit, now, cancellationToken).ConfigureAwait(false);
            sends |= instance.Commands.Count > 0 || instance.NewTimeouts.Count > 0;
        }

        batch.AfterCommit(sends ? committed : handled);
    }

}
