using Npgsql;
using NpgsqlTypes;

namespace Annals.Bench.RawPostgres;

/// <summary><c>--mode copy</c>: a binary COPY of the commit's rows, then COMMIT: the fastest way rows get into PostgreSQL.</summary>
internal sealed class PostgresBinaryCopy(NpgsqlConnection connection, string schema) : PostgresRawCommitter(connection, schema)
{
    private readonly string _copy = $"COPY {schema}.events ({PostgresRawSchema.Columns}) FROM STDIN (FORMAT BINARY)";

    protected override void Write(IReadOnlyList<RawAppend> appends, long ticks)
    {
        using var importer = Connection.BeginBinaryImport(_copy);
        foreach (var append in appends)
        {
            for (var i = 0; i < append.Events.Length; i++)
            {
                var e = append.Events[i];
                importer.StartRow();
                importer.Write(append.FirstPosition + i, NpgsqlDbType.Bigint);
                importer.Write(e.EventId, NpgsqlDbType.Uuid);
                importer.Write(append.Stream, NpgsqlDbType.Text);
                importer.Write(append.FirstRevision + i, NpgsqlDbType.Bigint);
                importer.Write(e.Type, NpgsqlDbType.Text);
                importer.Write(ArrayOf(e.Data), NpgsqlDbType.Bytea);
                importer.WriteNull();
                importer.Write(ticks, NpgsqlDbType.Bigint);
            }
        }

        importer.Complete();
    }
}
