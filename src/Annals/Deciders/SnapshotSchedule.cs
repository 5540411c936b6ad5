namespace Annals.Deciders;

/// <summary>The rule "a snapshot every N events", shared by <see cref="DecideOptions.SnapshotEvery"/> and <c>SnapshotStrategy.EveryEvents</c>.</summary>
internal static class SnapshotSchedule
{
    /// <summary>Whether the stream's event count passed a multiple of <paramref name="every"/> going from one revision to another.</summary>
    public static bool PassesMultiple(int every, long? revisionBefore, long revisionAfter) =>
        (revisionAfter + 1) / every > ((revisionBefore ?? -1) + 1) / every;
}
