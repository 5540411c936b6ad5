using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

public sealed partial class SqliteEventStore
{

    /// <inheritdoc />
    protected override ValueTask<StreamInfo?> GetStreamInfoCoreAsync(StreamName stream, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT first_revision, last_revision, last_position FROM streams WHERE stream = $stream AND deleted = 0;";
            command.Parameters.AddWithValue("$stream", stream.Value);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new StreamInfo(stream, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
        });

    /// <inheritdoc />
    public override ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        Query(cancellationToken, ReadHead);

    private static long ReadHead(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM counters WHERE name = 'head';";
        return (long)command.ExecuteScalar()!;
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamPageAsync(StreamName stream, long fromRevision, int count, bool forward, CancellationToken cancellationToken) =>
        Query<IReadOnlyList<RecordedEvent>>(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = forward
                ? $"SELECT {EventRows.Columns} FROM events WHERE stream = $stream AND revision >= $from ORDER BY revision LIMIT $count;"
                : $"SELECT {EventRows.Columns} FROM events WHERE stream = $stream AND revision <= $from ORDER BY revision DESC LIMIT $count;";
            command.Parameters.AddWithValue("$stream", stream.Value);
            command.Parameters.AddWithValue("$from", fromRevision);
            command.Parameters.AddWithValue("$count", count);
            return ReadEvents(command, null, count);
        });

    /// <summary>
    /// Reads up to <paramref name="count"/> matching events after a position in one read
    /// transaction, and says how far it looked and whether it reached the head seen by that transaction.
    /// </summary>
    /// <inheritdoc />
    protected override ValueTask<LogPage> ReadLogPageAsync(long afterPosition, EventFilter filter, int count, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            var head = ReadHead(connection);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var (exact, upTo) = SqliteLogQueries.PrepareLogPage(command, filter, afterPosition, head, count);
            var page = ReadEvents(command, exact ? null : filter, int.MaxValue);
            var full = page.Count >= count && (exact || page.Count > count);
            if (page.Count > count)
            {
                page.RemoveRange(count, page.Count - count);
            }

            var scannedTo = full ? page[^1].Position : upTo;
            return new LogPage(page, Math.Max(afterPosition, scannedTo), !full && upTo >= head);
        });

    private static List<RecordedEvent> ReadEvents(SqliteCommand command, EventFilter? filter, int count)
    {
        var page = new List<RecordedEvent>();
        var rows = new EventRows();
        using var reader = command.ExecuteReader();
        while (reader.Read() && page.Count < count)
        {
            var e = rows.Read(reader);
            if (filter is null || filter.Matches(e))
            {
                page.Add(e);
            }
        }

        return page;
    }

    /// <summary>Runs a read on a pooled connection, translating provider errors.</summary>
    private async ValueTask<T> Query<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> read)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return read(connection);
        }
        catch (Exception e) when (e is SqliteException or IOException)
        {
            throw SqliteErrors.Translate(e, Path);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
