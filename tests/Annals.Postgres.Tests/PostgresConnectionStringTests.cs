using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>The settings the writer's connections add to the connection string the store is given, and those it leaves to the caller.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void The_writer_prepares_its_statements()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ForWriter("Host=db;Username=app;Options='-c search_path=x'"));

        Assert.Equal((64, 2), (tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages));
        Assert.Equal(("db", "app", "-c search_path=x"), (tuned.Host, tuned.Username, tuned.Options));
    }

    [Fact]
    public void The_callers_own_prepare_settings_are_kept()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ForWriter("Host=db;maxautoprepare=0;Auto Prepare Min Usages=7"));

        Assert.Equal((0, 7), (tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages));
    }
}
