using Npgsql;
using NpgsqlTypes;

namespace Annals.Bench.RawPostgres;

/// <summary><c>--mode per-commit</c>: a prepared single-row INSERT per event (one round trip each), then COMMIT.</summary>
internal sealed class PostgresPerEventInserts : PostgresRawCommitter
{
    private readonly NpgsqlCommand _insert;
    private readonly NpgsqlParameter<long> _position = new() { NpgsqlDbType = NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<Guid> _id = new() { NpgsqlDbType = NpgsqlDbType.Uuid };
    private readonly NpgsqlParameter<string> _stream = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long> _revision = new() { NpgsqlDbType = NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<string> _type = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private readonly NpgsqlParameter<byte[]> _data = new() { NpgsqlDbType = NpgsqlDbType.Bytea };
    private readonly NpgsqlParameter _metadata = new() { NpgsqlDbType = NpgsqlDbType.Text, Value = DBNull.Value };
    private readonly NpgsqlParameter<long> _timestamp = new() { NpgsqlDbType = NpgsqlDbType.Bigint };

    public PostgresPerEventInserts(NpgsqlConnection connection, string schema)
        : base(connection, schema)
    {
        _insert = new NpgsqlCommand($"INSERT INTO {schema}.events ({PostgresRawSchema.Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", connection);
        _insert.Parameters.AddRange(new NpgsqlParameter[] { _position, _id, _stream, _revision, _type, _data, _metadata, _timestamp });
        _insert.Prepare();
    }

    public override void Dispose()
    {
        _insert.Dispose();
        base.Dispose();
    }

    protected override void Write(IReadOnlyList<RawAppend> appends, long ticks)
    {
        _timestamp.TypedValue = ticks;
        foreach (var append in appends)
        {
            _stream.TypedValue = append.Stream;
            for (var i = 0; i < append.Events.Length; i++)
            {
                var e = append.Events[i];
                _position.TypedValue = append.FirstPosition + i;
                _id.TypedValue = e.EventId;
                _revision.TypedValue = append.FirstRevision + i;
                _type.TypedValue = e.Type;
                _data.TypedValue = ArrayOf(e.Data);
                _insert.ExecuteNonQuery();
            }
        }
    }
}
