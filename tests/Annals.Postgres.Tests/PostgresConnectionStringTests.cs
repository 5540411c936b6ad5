using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>The settings the store adds to the connection string it is given, and those it leaves to the caller.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Prepared_statements_and_custom_plans_are_added()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Tune("Host=db;Username=app"));

        Assert.Equal((64, 2, "-c plan_cache_mode=force_custom_plan"), (tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages, tuned.Options));
        Assert.Equal(("db", "app"), (tuned.Host, tuned.Username));
    }

    [Fact]
    public void The_callers_own_settings_are_kept_and_its_options_come_last()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Tune("Host=db;maxautoprepare=0;Auto Prepare Min Usages=7;Options='-c plan_cache_mode=auto'"));

        Assert.Equal((0, 7, "-c plan_cache_mode=force_custom_plan -c plan_cache_mode=auto"), (tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages, tuned.Options));
    }
}
