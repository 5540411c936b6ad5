using System.Text;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Microsoft.Data.Sqlite;

namespace Annals.Bench.Raw;

/// <summary>
/// <c>raw-process</c>: the ceiling of <c>process</c> catch-up on SQLite. The rows a process writes for each event of a
/// prepared store, written with plain ADO.NET into the store's own tables: per page of 256 events read by position,
/// one transaction that looks up the page's instance states in one query, inserts each event's state, command and
/// timeout (rows of the sizes the process writes) and moves the checkpoint; then one transaction that removes the
/// page's commands, as their delivery does. No decoding, routing, stepping or encoding, no planner, no delivery.
/// </summary>
internal static class RawProcessWorkload
{
    private const int PageSize = 256;
    private const int WarmUpEvents = 1000;
    private const string Commands = "process:raw:commands";
    private const string Timeouts = "process:raw:timeouts";

    // The sizes of the rows the bench process writes: a 156-byte instance record, 48-byte messages with about 200
    // characters of metadata (correlation, causation, instance, target or timeout name).
    private static readonly byte[] State = Encoding.UTF8.GetBytes(new string('s', 156));
    private static readonly byte[] Message = Encoding.UTF8.GetBytes(new string('m', 48));
    private static readonly string Metadata = $$"""{"correlation-id":"{{Guid.NewGuid()}}","causation-id":"{{Guid.NewGuid()}}","process-instance":"{{Guid.NewGuid():N}}","process-timeout":"expire"}""";

    public static Task<BenchResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        settings.IsPostgres || settings.IsNats
            ? throw new InvalidOperationException("raw-process is a SQLite baseline only: compare process on PostgreSQL with project; NATS hosts no processes.")
            : Task.Run(() => Run(settings), cancellationToken);

    private static BenchResult Run(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        using var connection = RawConnection.Open(database.Path, settings.IsDurable);
        RawSchema.EnsureCreated(connection);
        if (RawSchema.CountEvents(connection) == 0)
        {
            RawReadWorkload.Fill(connection, settings);
        }

        var head = Scalar(connection, "SELECT max(position) FROM events;");
        JitWarmUp.Repeat(settings.Warmup, () =>
        {
            Clear(connection);
            Handle(connection, Math.Min(head, WarmUpEvents));
        });
        Clear(connection);

        Report.Progress($"raw: writing each event's state, command and timeout up to position {head}, {PageSize} events per transaction, then removing the page's commands");
        var measurement = Measurement.Start();
        var handled = Handle(connection, head);
        var span = measurement.Stop();

        var (states, commands, timeouts) = (Scalar(connection, "SELECT count(*) FROM states;"), Count(connection, Commands), Count(connection, Timeouts));
        if (states != head || commands != 0 || timeouts != head)
        {
            throw new InvalidOperationException($"raw-process left {states} states, {commands} commands and {timeouts} timeouts; expected {head}, 0 and {head}.");
        }

        return Results.Create(settings, span, handled, database.Description);
    }

    private static long Handle(SqliteConnection connection, long upTo)
    {
        using var read = Command(connection, "SELECT position, event_id FROM events WHERE position > $after AND position <= $upTo ORDER BY position LIMIT $count;", "$after", "$upTo", "$count");
        using var existing = Command(connection, "SELECT key FROM states WHERE key IN (SELECT value FROM json_each($keys));", "$keys");
        using var insertState = Command(connection, "INSERT INTO states (key, version, type, data, timestamp) VALUES ($key, 1, 'instance', $data, $now);", "$key", "$data", "$now");
        using var insertMessage = Command(
            connection,
            "INSERT INTO queue_messages (queue, message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at, sequence) VALUES ($queue, $id, 'message', $data, $metadata, $due, 0, NULL, 0, $now, $sequence);",
            "$queue", "$id", "$data", "$metadata", "$due", "$now", "$sequence");
        using var checkpoint = Command(connection, "INSERT OR REPLACE INTO checkpoints (consumer, position) VALUES ('raw-process', $position);", "$position");
        using var remove = Command(connection, "DELETE FROM queue_messages WHERE queue = $queue AND message_id = $id;", "$queue", "$id");
        using var begin = Command(connection, "BEGIN;");
        using var commit = Command(connection, "COMMIT;");

        var after = 0L;
        var handled = 0L;
        var sequence = 0L;
        var keys = new List<string>(PageSize);
        var sent = new List<byte[]>(PageSize);
        while (after < upTo)
        {
            keys.Clear();
            sent.Clear();
            Bind(read, after, upTo, PageSize);
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    after = reader.GetInt64(0);
                    keys.Add("process-raw." + Convert.ToHexString(reader.GetFieldValue<byte[]>(1)));
                }
            }

            if (keys.Count == 0)
            {
                break;
            }

            var now = DateTimeOffset.UtcNow.UtcTicks;
            Execute(begin);
            var stored = new HashSet<string>(StringComparer.Ordinal);
            Bind(existing, "[" + string.Join(',', keys.Select(k => $"\"{k}\"")) + "]");
            using (var reader = existing.ExecuteReader())
            {
                while (reader.Read())
                {
                    stored.Add(reader.GetString(0));
                }
            }

            foreach (var key in keys)
            {
                if (!stored.Contains(key))
                {
                    Execute(insertState, key, State, now);
                }

                var command = Guid.NewGuid().ToByteArray();
                sent.Add(command);
                Execute(insertMessage, Commands, command, Message, Metadata, now, now, ++sequence);
                Execute(insertMessage, Timeouts, Guid.NewGuid().ToByteArray(), Message, Metadata, now + TimeSpan.TicksPerDay * 365, now, ++sequence);
            }

            Execute(checkpoint, after);
            Execute(commit);

            // The deliveries' removals, as the process's delivery commits them after handing the commands over.
            Execute(begin);
            foreach (var command in sent)
            {
                Execute(remove, Commands, command);
            }

            Execute(commit);

            handled += keys.Count;
        }

        return handled;
    }

    private static void Clear(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM states; DELETE FROM queue_messages; DELETE FROM checkpoints WHERE consumer = 'raw-process';";
        command.ExecuteNonQuery();
    }

    private static long Count(SqliteConnection connection, string queue)
    {
        using var command = Command(connection, "SELECT count(*) FROM queue_messages WHERE queue = $queue;", "$queue");
        Bind(command, queue);
        return (long)command.ExecuteScalar()!;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : 0;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    private static void Execute(SqliteCommand command, params object[] values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }
}
