namespace Annals.Bench;

/// <summary>What an <c>entity</c> run measures: the common settings plus the entities and their snapshots.</summary>
/// <param name="Common">Store, commands in total (<see cref="BenchSettings.Events"/>), warm-up, durability, database; one sender per entity.</param>
/// <param name="Entities">Entities in all, each with one sender sending its commands one after another.</param>
/// <param name="SnapshotEvery">Passed as <see cref="Annals.Entities.SnapshotStrategy.EveryEvents"/>; none when <see langword="null"/>.</param>
internal sealed record EntitySettings(BenchSettings Common, int Entities, int? SnapshotEvery);
