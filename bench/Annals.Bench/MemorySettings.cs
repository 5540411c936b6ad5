namespace Annals.Bench;

/// <summary>What an <c>entity-memory</c> run measures.</summary>
/// <param name="Common">Store, durability, database.</param>
/// <param name="Entities">Entities woken in each wave, each by one command.</param>
/// <param name="Waves">Waves of new entity ids, each left to passivate before the next.</param>
/// <param name="IdleTimeout">How long an entity stays live without commands.</param>
internal sealed record MemorySettings(BenchSettings Common, int Entities, int Waves, TimeSpan IdleTimeout);
