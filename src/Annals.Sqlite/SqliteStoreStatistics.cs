namespace Annals.Sqlite;

/// <summary>What a SQLite store's file holds.</summary>
/// <param name="Streams">The number of streams that exist.</param>
/// <param name="Events">The number of events stored.</param>
/// <param name="HeadPosition">The position of the last event committed.</param>
/// <param name="FileBytes">The size of the database file and its write-ahead log, in bytes.</param>
public sealed record SqliteStoreStatistics(long Streams, long Events, long HeadPosition, long FileBytes);
