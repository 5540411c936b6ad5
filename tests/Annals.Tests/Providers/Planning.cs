using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Tests.Providers;

/// <summary>Builds batches and stored state by hand, and decides them with a <see cref="CommitPlanner"/>.</summary>
internal static class Planning
{
    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static StreamName Stream(string id) => StreamName.Parse("account." + id);

    public static EventData Event(string type = "Deposited", Guid? id = null) => new(id ?? Guid.NewGuid(), type, new byte[] { 1, 2, 3 });

    public static BatchOperation[] Ops(CommitBatch batch) => BatchValidator.Validate(batch, 1 << 20);

    public static CommitPlanner Planner(StoredState? state = null) => new(state ?? new StoredState(), Now);

    /// <summary>Stored state made by hand: the head, and what <paramref name="fill"/> adds.</summary>
    public static StoredState State(long head = 0, Action<StoredState>? fill = null)
    {
        var state = new StoredState { Head = head };
        fill?.Invoke(state);
        return state;
    }

    public static CommitResult Succeeds(this CommitPlanner planner, CommitBatch batch)
    {
        var decision = planner.Decide(Ops(batch));
        Assert.True(decision.Succeeded, decision.Error?.Message);
        Assert.Null(decision.Error);
        return decision.Result;
    }

    public static T Fails<T>(this CommitPlanner planner, CommitBatch batch)
        where T : AnnalsException
    {
        var decision = planner.Decide(Ops(batch));
        Assert.False(decision.Succeeded);
        Assert.Null(decision.Result);
        Assert.False(decision.RunsSqlWork);
        return Assert.IsType<T>(decision.Error);
    }

    /// <summary>The net writes as lines: events in their order, every other section sorted, so two plans compare.</summary>
    public static List<string> Describe(GroupWrites writes)
    {
        var lines = new List<string> { $"head {writes.Head} first {writes.FirstPosition} queue {writes.QueueSequence} at {writes.Timestamp:O}" };
        lines.AddRange(writes.Events.Select(e => $"event {e.Position} {e.Stream}@{e.Revision} {e.Event.EventId} {e.Event.Type} {e.Timestamp:O}"));
        lines.AddRange(Sorted(writes.StoredEventCutoffs.Select(c => $"cutoff {c.Key} {c.Value}")));
        lines.AddRange(Sorted(writes.Streams.Select(s => $"stream {s.Key} {s.Value}")));
        lines.AddRange(Sorted(writes.Snapshots.Select(s => $"snapshot {s.Key} {(s.Value is null ? "deleted" : s.Value.Revision)}")));
        lines.AddRange(Sorted(writes.States.Select(s => $"state {s.Key} {(s.Value is null ? "deleted" : s.Value.Version)}")));
        lines.AddRange(Sorted(writes.Checkpoints.Select(c => $"checkpoint {c.Key} {c.Value}")));
        lines.AddRange(Sorted(writes.Messages.Select(m => $"message {m.Key} {m.Value}")));
        return lines;
    }

    /// <summary>The state as lines, every section sorted, so two plans compare.</summary>
    public static List<string> Describe(StoredState state)
    {
        var lines = new List<string> { $"head {state.Head} queue {state.QueueSequence}" };
        lines.AddRange(Sorted(state.Streams.Select(s => $"stream {s.Key} {s.Value}")));
        lines.AddRange(Sorted(state.EventIds.Select(e => $"id {e.Key} {e.Value}")));
        lines.AddRange(Sorted(state.SnapshotRevisions.Select(s => $"snapshot {s.Key} {s.Value}")));
        lines.AddRange(Sorted(state.StateVersions.Select(s => $"state {s.Key} {s.Value}")));
        lines.AddRange(Sorted(state.Checkpoints.Select(c => $"checkpoint {c.Key} {c.Value}")));
        lines.AddRange(Sorted(state.MessageRevisions.Select(m => $"message {m.Key} {m.Value}")));
        return lines;
    }

    private static IEnumerable<string> Sorted(IEnumerable<string> lines) => lines.Order(StringComparer.Ordinal);
}
