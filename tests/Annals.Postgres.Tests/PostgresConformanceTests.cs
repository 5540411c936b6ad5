using Annals.Storage;
using Annals.Testing.Conformance;

namespace Annals.Postgres.Tests;

public sealed class PostgresAppendTests(PostgresFixture fixture) : AppendConformance<PostgresFixture>(fixture);

public sealed class PostgresIdempotencyTests(PostgresFixture fixture) : IdempotencyConformance<PostgresFixture>(fixture);

public sealed class PostgresAtomicityTests(PostgresFixture fixture) : AtomicityConformance<PostgresFixture>(fixture);

public sealed class PostgresBadInputTests(PostgresFixture fixture) : BadInputConformance<PostgresFixture>(fixture);

public sealed class PostgresTruncateDeleteTests(PostgresFixture fixture) : TruncateDeleteConformance<PostgresFixture>(fixture);

public sealed class PostgresConcurrencyTests(PostgresFixture fixture) : ConcurrencyConformance<PostgresFixture>(fixture);

public sealed class PostgresSubscriptionTests(PostgresFixture fixture) : SubscriptionConformance<PostgresFixture>(fixture);

public sealed class PostgresFilterTests(PostgresFixture fixture) : FilterConformance<PostgresFixture>(fixture);

public sealed class PostgresAppendConditionTests(PostgresFixture fixture) : AppendConditionConformance<PostgresFixture>(fixture);

public sealed class PostgresTagTests(PostgresFixture fixture) : TagConformance<PostgresFixture>(fixture);

public sealed class PostgresTagConditionTests(PostgresFixture fixture) : TagConditionConformance<PostgresFixture>(fixture);

public sealed class PostgresDeciderTests(PostgresFixture fixture) : DeciderConformance<PostgresFixture>(fixture);

public sealed class PostgresEntityTests(PostgresFixture fixture) : EntityConformance<PostgresFixture>(fixture);

public sealed class PostgresProjectionTests(PostgresFixture fixture) : ProjectionConformance<PostgresFixture>(fixture);

public sealed class PostgresProcessTests(PostgresFixture fixture) : ProcessConformance<PostgresFixture>(fixture);

public sealed class PostgresSnapshotTests(PostgresFixture fixture) : SnapshotConformance<PostgresFixture>(fixture);

public sealed class PostgresStateTests(PostgresFixture fixture) : StateConformance<PostgresFixture>(fixture);

public sealed class PostgresCheckpointTests(PostgresFixture fixture) : CheckpointConformance<PostgresFixture>(fixture);

public sealed class PostgresQueueTests(PostgresFixture fixture) : QueueConformance<PostgresFixture>(fixture);

public sealed class PostgresSqlWorkTests(PostgresFixture fixture) : SqlWorkConformance<PostgresFixture>(fixture);

public sealed class PostgresHostileInputTests(PostgresFixture fixture) : HostileInputConformance<PostgresFixture>(fixture);

public sealed class PostgresGroupIsolationTests(PostgresFixture fixture) : GroupIsolationConformance<PostgresFixture>(fixture)
{
    // A work that ends its own session takes the group's connection down with it; a parameter the driver cannot
    // encode fails while the work sends it. Either must cost only the batch that did it.
    protected override IEnumerable<(string Name, Func<SqlWorkContext, CancellationToken, ValueTask> Work, Type Error)> BackendPoisons =>
    [
        ("work ends its session", (c, ct) => Execute(c, "SELECT pg_terminate_backend(pg_backend_pid())", ct), typeof(AnnalsException)),
        ("work sends ill-formed text", (c, ct) => Execute(c, "SELECT @p::text", ct, ("p", "a\uD800")), typeof(SqlWorkFailedException)),
    ];

    private static async ValueTask Execute(SqlWorkContext context, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = context.CreateCommand(sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class PostgresCatalogueTests(PostgresFixture fixture) : CatalogueConformance<PostgresFixture>(fixture);

public sealed class PostgresDataSourceAppendTests(PostgresDataSourceFixture fixture) : AppendConformance<PostgresDataSourceFixture>(fixture);

public sealed class PostgresDataSourceSubscriptionTests(PostgresDataSourceFixture fixture) : SubscriptionConformance<PostgresDataSourceFixture>(fixture);

public sealed class PostgresDataSourceCatalogueTests(PostgresDataSourceFixture fixture) : CatalogueConformance<PostgresDataSourceFixture>(fixture);

public sealed class PostgresTelemetryTests(PostgresFixture fixture) : TelemetryConformance<PostgresFixture>(fixture);

public sealed class PostgresDcbTests(PostgresFixture fixture) : DcbConformance<PostgresFixture>(fixture);
