namespace Annals.Bench;

/// <summary>What a <c>decide</c> run measures: the common settings plus the streams and snapshots.</summary>
/// <param name="Common">Store, commands in total (<see cref="BenchSettings.Events"/>), callers (<see cref="BenchSettings.Writers"/>), warm-up, durability, database.</param>
/// <param name="Streams">Streams in all; caller <c>w</c> owns the streams <c>k</c> with <c>k % callers == w</c>.</param>
/// <param name="SnapshotEvery">Passed as <see cref="Annals.Deciders.DecideOptions.SnapshotEvery"/>; none when <see langword="null"/>.</param>
/// <param name="Cache">Whether the typed store keeps folded states between decisions (<see cref="Annals.Deciders.DecisionCacheOptions.Default"/>) or not (<c>--no-cache</c>).</param>
internal sealed record DecideSettings(BenchSettings Common, int Streams, int? SnapshotEvery, bool Cache = true)
{
    /// <summary>One caller per stream, at most 64.</summary>
    public const int MaxDefaultCallers = 64;
}
