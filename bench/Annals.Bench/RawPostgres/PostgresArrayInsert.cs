using Npgsql;
using NpgsqlTypes;

namespace Annals.Bench.RawPostgres;

/// <summary><c>--mode batched</c>: one prepared multi-row INSERT of unnest arrays per commit (the store's own statement), then COMMIT.</summary>
internal sealed class PostgresArrayInsert : PostgresRawCommitter
{
    private readonly NpgsqlCommand _insert;
    private readonly NpgsqlParameter<long[]> _positions = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<Guid[]> _ids = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };
    private readonly NpgsqlParameter<string[]> _streams = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long[]> _revisions = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<string[]> _types = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<byte[][]> _data = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea };
    private readonly NpgsqlParameter<string?[]> _metadata = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long[]> _timestamps = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    public PostgresArrayInsert(NpgsqlConnection connection, string schema)
        : base(connection, schema)
    {
        _insert = new NpgsqlCommand(
            $"INSERT INTO {schema}.events ({PostgresRawSchema.Columns}) SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::bytea[], $7::text[], $8::bigint[])",
            connection);
        _insert.Parameters.AddRange(new NpgsqlParameter[] { _positions, _ids, _streams, _revisions, _types, _data, _metadata, _timestamps });
        _insert.Prepare();
    }

    public override void Dispose()
    {
        _insert.Dispose();
        base.Dispose();
    }

    protected override void Write(IReadOnlyList<RawAppend> appends, long ticks)
    {
        var count = appends.Sum(a => a.Events.Length);
        var positions = new long[count];
        var ids = new Guid[count];
        var streams = new string[count];
        var revisions = new long[count];
        var types = new string[count];
        var data = new byte[count][];
        var timestamps = new long[count];
        var row = 0;
        foreach (var append in appends)
        {
            for (var i = 0; i < append.Events.Length; i++, row++)
            {
                var e = append.Events[i];
                positions[row] = append.FirstPosition + i;
                ids[row] = e.EventId;
                streams[row] = append.Stream;
                revisions[row] = append.FirstRevision + i;
                types[row] = e.Type;
                data[row] = ArrayOf(e.Data);
                timestamps[row] = ticks;
            }
        }

        _positions.TypedValue = positions;
        _ids.TypedValue = ids;
        _streams.TypedValue = streams;
        _revisions.TypedValue = revisions;
        _types.TypedValue = types;
        _data.TypedValue = data;
        _metadata.TypedValue = new string?[count];
        _timestamps.TypedValue = timestamps;
        _insert.ExecuteNonQuery();
    }
}
