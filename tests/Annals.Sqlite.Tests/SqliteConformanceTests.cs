using Annals.Storage;
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

public sealed class SqliteTagTests(SqliteFixture fixture) : TagConformance<SqliteFixture>(fixture);

public sealed class SqliteTagConditionTests(SqliteFixture fixture) : TagConditionConformance<SqliteFixture>(fixture);

public sealed class SqliteDeciderTests(SqliteFixture fixture) : DeciderConformance<SqliteFixture>(fixture);

public sealed class SqliteEntityTests(SqliteFixture fixture) : EntityConformance<SqliteFixture>(fixture);

public sealed class SqliteProjectionTests(SqliteFixture fixture) : ProjectionConformance<SqliteFixture>(fixture);

public sealed class SqliteProcessTests(SqliteFixture fixture) : ProcessConformance<SqliteFixture>(fixture);

public sealed class SqliteSnapshotTests(SqliteFixture fixture) : SnapshotConformance<SqliteFixture>(fixture);

public sealed class SqliteStateTests(SqliteFixture fixture) : StateConformance<SqliteFixture>(fixture);

public sealed class SqliteCheckpointTests(SqliteFixture fixture) : CheckpointConformance<SqliteFixture>(fixture);

public sealed class SqliteQueueTests(SqliteFixture fixture) : QueueConformance<SqliteFixture>(fixture);

public sealed class SqliteSqlWorkTests(SqliteFixture fixture) : SqlWorkConformance<SqliteFixture>(fixture);

public sealed class SqliteHostileInputTests(SqliteFixture fixture) : HostileInputConformance<SqliteFixture>(fixture);

public sealed class SqliteGroupIsolationTests(SqliteFixture fixture) : GroupIsolationConformance<SqliteFixture>(fixture)
{
    // Works that try to end the group's transaction: SQLite refuses the statements, and the batch fails alone. A
    // trigger's RAISE(ROLLBACK) does end it: the batch fails alone all the same, and the rest of the group runs again.
    protected override IEnumerable<(string Name, Func<SqlWorkContext, CancellationToken, ValueTask> Work, Type Error)> BackendPoisons =>
    [
        ("work commits", (c, ct) => Execute(c, "COMMIT", ct), typeof(SqlWorkFailedException)),
        ("work rolls back", (c, ct) => Execute(c, "ROLLBACK", ct), typeof(SqlWorkFailedException)),
        ("work's trigger rolls back", (c, ct) => Execute(c, RollingBackTrigger, ct), typeof(SqlWorkFailedException)),
    ];

    private const string RollingBackTrigger = """
        CREATE TEMP TABLE IF NOT EXISTS iso_rollback (x INTEGER);
        CREATE TEMP TRIGGER IF NOT EXISTS iso_rollback_trigger BEFORE INSERT ON iso_rollback BEGIN SELECT RAISE(ROLLBACK, 'poison'); END;
        INSERT INTO iso_rollback VALUES (1);
        """;

    private static async ValueTask Execute(SqlWorkContext context, string sql, CancellationToken cancellationToken)
    {
        await using var command = context.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class SqliteCatalogueTests(SqliteFixture fixture) : CatalogueConformance<SqliteFixture>(fixture);

public sealed class SqliteTelemetryTests(SqliteFixture fixture) : TelemetryConformance<SqliteFixture>(fixture);

public sealed class SqliteDcbTests(SqliteFixture fixture) : DcbConformance<SqliteFixture>(fixture);
