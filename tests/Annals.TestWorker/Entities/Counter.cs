namespace Annals.TestWorker.Entities;

/// <summary>A counter's state: what was added to it, and by how many commands.</summary>
/// <param name="Total">The sum of the amounts added.</param>
/// <param name="Count">How many amounts were added.</param>
public sealed record Counter(long Total, int Count);
