using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

public sealed partial class PostgresEventStore
{
    /// <inheritdoc />
    protected override ValueTask<StreamInfo?> GetStreamInfoCoreAsync(StreamName stream, CancellationToken cancellationToken) =>
        QueryAsync(
            $"{StreamRows.Select(Schema)} WHERE s.stream = $1 AND NOT s.deleted",
            [stream.Value],
            reader => new StreamInfo(stream, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)),
            cancellationToken);

    /// <inheritdoc />
    public override async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT value FROM {Schema}.counters WHERE name = 'head'", [], reader => (long?)reader.GetInt64(0), cancellationToken).ConfigureAwait(false) ?? 0;

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamPageAsync(StreamName stream, long fromRevision, int count, bool forward, CancellationToken cancellationToken)
    {
        var sql = forward
            ? $"SELECT {EventRows.Columns} FROM {Schema}.events WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3"
            : $"SELECT {EventRows.Columns} FROM {Schema}.events WHERE stream = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3";
        var rows = new EventRows();
        return await ListAsync(sql, [stream.Value, fromRevision, count], r => rows.Read(r), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task? NextAppendSignal() =>
        Volatile.Read(ref _disposed) != 0 || _notifications.IsStopped ? null : _notifications.Next();

    /// <inheritdoc />
    protected override bool ResumesWhenAvailable => true;

    /// <inheritdoc />
    protected override Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken) =>
        _notifications.WaitAsync(nextAppend, cancellationToken);

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamInfo> ListStreamsCore(string? category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var sql = $"{StreamRows.Select(Schema)} WHERE NOT s.deleted AND s.stream > $1"
                + (category is null ? string.Empty : " AND s.stream >= $3 AND s.stream < $4") + " ORDER BY s.stream LIMIT $2";
            object[] parameters = category is null ? [after, EventStoreLimits.ReadPageSize] : [after, EventStoreLimits.ReadPageSize, category + ".", category + "/"];
            var page = await ListAsync(sql, parameters, r => new StreamInfo(ParseStream(r.GetString(0)), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)), cancellationToken).ConfigureAwait(false);
            foreach (var stream in page)
            {
                yield return stream;
            }

            if (page.Count < EventStoreLimits.ReadPageSize)
            {
                yield break;
            }

            after = page[^1].Stream.Value;
        }
    }

    private static StreamName ParseStream(string name) =>
        StreamName.TryParse(name, out var stream) ? stream : throw new CorruptDataException($"A stored stream name is invalid: '{name}'.");

    private async ValueTask<T?> QueryAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(sql, parameters, read, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : default;
    }

    private async ValueTask<List<T>> ListAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        try
        {
            await using var command = _dataSource.CreateCommand(sql);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw PostgresErrors.Translate(e, Schema);
        }
    }
}
