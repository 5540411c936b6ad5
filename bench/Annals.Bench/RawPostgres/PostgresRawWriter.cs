using Annals.Bench.Raw;
using Annals.Storage;
using Npgsql;

namespace Annals.Bench.RawPostgres;

/// <summary>One writer thread of raw-append on PostgreSQL: its own connection, one transaction per commit.</summary>
internal sealed class PostgresRawWriter(Data.WriterPlan plan, PostgresRawCommitter committer, RawPositions positions, string schema) : PlannedRawWriter(plan)
{
    protected override long ReadLastRevision(string stream)
    {
        using var command = new NpgsqlCommand($"SELECT coalesce(max(revision), -1) FROM {schema}.events WHERE stream = $1", committer.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        return (long)command.ExecuteScalar()!;
    }

    protected override void Commit(string stream, long firstRevision, EventData[] events) =>
        committer.Commit(stream, firstRevision, positions.Take(events.Length), events);
}
