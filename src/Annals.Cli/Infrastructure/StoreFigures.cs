namespace Annals.Cli.Infrastructure;

/// <summary>What <c>stats</c> shows of a store.</summary>
/// <param name="Streams">The number of streams that exist.</param>
/// <param name="Events">The number of events stored.</param>
/// <param name="HeadPosition">The highest position assigned.</param>
/// <param name="SizeLabel">What the size measures: <c>File size</c> or <c>Schema size</c>.</param>
/// <param name="SizeBytes">The size in bytes.</param>
internal sealed record StoreFigures(long Streams, long Events, long HeadPosition, string SizeLabel, long SizeBytes);
