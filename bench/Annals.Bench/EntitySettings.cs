namespace Annals.Bench;

/// <summary>What an <c>entity</c> run measures: the common settings plus the entities and their snapshots.</summary>
/// <param name="Common">Store, commands in total (<see cref="BenchSettings.Events"/>), warm-up, durability, database; one sender per entity.</param>
/// <param name="Entities">Entities in all, each with one sender sending its commands one after another.</param>
/// <param name="SnapshotEvery">Passed as <see cref="Annals.Entities.SnapshotStrategy.EveryEvents"/>; none when <see langword="null"/>.</param>
/// <param name="Engines">Local entity engines on the store, as that many processes would run (0 with <paramref name="Silos"/>).</param>
/// <param name="Silos">Orleans silos in this process hosting the entities as grains; 0 for local engines.</param>
/// <param name="Hot">Whether every sender commands one entity (spread over the engines or silos) instead of its own.</param>
internal sealed record EntitySettings(BenchSettings Common, int Entities, int? SnapshotEvery, int Engines = 1, int Silos = 0, bool Hot = false);
