using Annals.Orleans.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>Clusters silos and clients on a PostgreSQL database, through Orleans' ADO.NET clustering provider.</summary>
public static class AnnalsPostgresClusteringExtensions
{
    /// <summary>The name Orleans' ADO.NET providers know Npgsql by; they load the Npgsql assembly, which this one brings.</summary>
    private const string Invariant = "Npgsql";

    /// <summary>
    /// Keeps the cluster's membership in a PostgreSQL database: each silo writes its row and heartbeat there, finds the
    /// others there, and clients find the gateways there. Orleans' clustering tables are created when the silo starts if
    /// they are missing (see <see cref="OrleansPostgresSchema.EnsureCreatedAsync"/>), before the silo joins.
    /// </summary>
    /// <remarks>
    /// Silos of one cluster share a cluster id and a service id (<c>Configure&lt;ClusterOptions&gt;</c>); many clusters can
    /// share the tables. The tables go where the connection's search path puts them: <c>public</c> by default, or the schema
    /// named by <c>Search Path=…</c> in the connection string, which must exist.
    /// </remarks>
    /// <param name="builder">The silo.</param>
    /// <param name="connectionString">The Npgsql connection string of the database holding the membership table.</param>
    /// <returns>The silo.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or not a valid Npgsql connection string.</exception>
    public static ISiloBuilder UseAnnalsPostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Check(connectionString);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new OrleansSchemaParticipant(connectionString, sp.GetRequiredService<ILogger<OrleansSchemaParticipant>>()));
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>Finds the cluster's gateways in the PostgreSQL database its silos are clustered on.</summary>
    /// <remarks>
    /// The client only reads the tables: the silos create them when they start, or <c>annals cluster schema</c> beforehand.
    /// The client's cluster id and service id (<c>Configure&lt;ClusterOptions&gt;</c>) must be the silos'.
    /// </remarks>
    /// <param name="builder">The client.</param>
    /// <param name="connectionString">The Npgsql connection string the silos were given.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or not a valid Npgsql connection string.</exception>
    public static IClientBuilder UseAnnalsPostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Check(connectionString);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }

    // A mistyped string fails here, where it is configured, not when the silo starts.
    private static void Check(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = new NpgsqlConnectionStringBuilder(connectionString);
    }
}
