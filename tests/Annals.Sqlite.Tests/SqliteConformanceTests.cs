using Annals.Testing.Conformance;

namespace Annals.Sqlite.Tests;

public sealed class SqliteAppendTests(SqliteFixture fixture) : AppendConformance<SqliteFixture>(fixture);

public sealed class SqliteIdempotencyTests(SqliteFixture fixture) : IdempotencyConformance<SqliteFixture>(fixture);

public sealed class SqliteAtomicityTests(SqliteFixture fixture) : AtomicityConformance<SqliteFixture>(fixture);

public sealed class SqliteBadInputTests(SqliteFixture fixture) : BadInputConformance<SqliteFixture>(fixture);

public sealed class SqliteTruncateDeleteTests(SqliteFixture fixture) : TruncateDeleteConformance<SqliteFixture>(fixture);

public sealed class SqliteConcurrencyTests(SqliteFixture fixture) : ConcurrencyConformance<SqliteFixture>(fixture);

public sealed class SqliteSubscriptionTests(SqliteFixture fixture) : SubscriptionConformance<SqliteFixture>(fixture);

public sealed class SqliteFilterTests(SqliteFixture fixture) : FilterConformance<SqliteFixture>(fixture);

public sealed class SqliteAppendConditionTests(SqliteFixture fixture) : AppendConditionConformance<SqliteFixture>(fixture);

public sealed class SqliteDeciderTests(SqliteFixture fixture) : DeciderConformance<SqliteFixture>(fixture);

public sealed class SqliteEntityTests(SqliteFixture fixture) : EntityConformance<SqliteFixture>(fixture);

public sealed class SqliteProjectionTests(SqliteFixture fixture) : ProjectionConformance<SqliteFixture>(fixture);

public sealed class SqliteSnapshotTests(SqliteFixture fixture) : SnapshotConformance<SqliteFixture>(fixture);

public sealed class SqliteStateTests(SqliteFixture fixture) : StateConformance<SqliteFixture>(fixture);

public sealed class SqliteCheckpointTests(SqliteFixture fixture) : CheckpointConformance<SqliteFixture>(fixture);

public sealed class SqliteQueueTests(SqliteFixture fixture) : QueueConformance<SqliteFixture>(fixture);

public sealed class SqliteSqlWorkTests(SqliteFixture fixture) : SqlWorkConformance<SqliteFixture>(fixture);

public sealed class SqliteHostileInputTests(SqliteFixture fixture) : HostileInputConformance<SqliteFixture>(fixture);

public sealed class SqliteGroupIsolationTests(SqliteFixture fixture) : GroupIsolationConformance<SqliteFixture>(fixture)
{
    // Works that try to end the group's transaction: SQLite refuses the statement, and the batch fails alone.
    protected override IEnumerable<(string Name, Func<SqlWorkContext, CancellationToken, ValueTask> Work, Type Error)> BackendPoisons =>
    [
        ("work commits", (c, ct) => Execute(c, "COMMIT", ct), typeof(SqlWorkFailedException)),
        ("work rolls back", (c, ct) => Execute(c, "ROLLBACK", ct), typeof(SqlWorkFailedException)),
    ];

    private static async ValueTask Execute(SqlWorkContext context, string sql, CancellationToken cancellationToken)
    {
        await using var command = context.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
