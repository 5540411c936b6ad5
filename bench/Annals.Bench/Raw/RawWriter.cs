using Annals.Storage;

namespace Annals.Bench.Raw;

/// <summary>One writer thread of raw-append on SQLite: one transaction per commit, optionally one commit at a time under a shared lock.</summary>
internal sealed class RawWriter(Data.WriterPlan plan, RawCommitter committer, Lock? gate) : PlannedRawWriter(plan)
{
    protected override long ReadLastRevision(string stream)
    {
        using var command = committer.Connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(revision), -1) FROM events WHERE stream = $stream;";
        command.Parameters.AddWithValue("$stream", stream);
        return (long)command.ExecuteScalar()!;
    }

    protected override void Commit(string stream, long firstRevision, EventData[] events)
    {
        if (gate is null)
        {
            committer.Commit(stream, firstRevision, events);
            return;
        }

        lock (gate)
        {
            committer.Commit(stream, firstRevision, events);
        }
    }
}
