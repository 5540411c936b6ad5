namespace Annals.Bench;

/// <summary>What an <c>entity-recovery</c> run measures.</summary>
/// <param name="Common">Store, the entity's events (<see cref="BenchSettings.Events"/>), warm-up, durability, database.</param>
/// <param name="SnapshotEvery">The prepared entity has a snapshot after every this many events; none when <see langword="null"/>.</param>
/// <param name="Rounds">Cold recoveries measured, each by a new engine; the median is reported.</param>
internal sealed record RecoverySettings(BenchSettings Common, int? SnapshotEvery, int Rounds);
