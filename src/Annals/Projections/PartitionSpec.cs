using Annals.Storage;

namespace Annals.Projections;

/// <summary>One partition of a partitioned projection: the streams whose <see cref="StreamPartitions.Of"/> is <paramref name="Index"/>.</summary>
/// <param name="Index">The partition.</param>
/// <param name="Count">How many partitions the projection has.</param>
/// <param name="Membership">This process's group membership, when partitions are shared with other processes through leases.</param>
internal sealed record PartitionSpec(int Index, int Count, GroupMembership? Membership)
{
    public bool Holds(RecordedEvent e) => StreamPartitions.Of(e.Stream, Count) == Index;
}
