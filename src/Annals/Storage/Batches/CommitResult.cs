namespace Annals.Storage;

/// <summary>What a committed batch stored.</summary>
/// <param name="Appends">One result per append operation, in the batch's order.</param>
public sealed record CommitResult(IReadOnlyList<AppendResult> Appends)
{
    /// <summary>The global position of the last event the batch appended, or <see langword="null"/> when it appended none.</summary>
    public long? LastPosition => Appends.Count == 0 ? null : Appends.Max(a => a.LastPosition);

    /// <summary>Whether two results name the same appends.</summary>
    /// <param name="other">The other result.</param>
    /// <returns><see langword="true"/> when the appends are equal, in order.</returns>
    public bool Equals(CommitResult? other) => other is not null && Appends.SequenceEqual(other.Appends);

    /// <inheritdoc />
    public override int GetHashCode() => Appends.Count == 0 ? 0 : HashCode.Combine(Appends.Count, Appends[0]);
}
