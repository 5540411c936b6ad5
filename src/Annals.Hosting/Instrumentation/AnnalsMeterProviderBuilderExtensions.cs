using Annals.Diagnostics;
using Annals.Hosting;

namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry meter provider to Annals' metrics.</summary>
public static class AnnalsMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds every meter of <see cref="AnnalsTelemetry.MeterNames"/> (stores, entity engine, projections) and Npgsql's own
    /// (connection pools, command durations) for a PostgreSQL store.
    /// </summary>
    /// <param name="builder">The meter provider's builder.</param>
    /// <returns>The builder.</returns>
    public static MeterProviderBuilder AddAnnalsInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter([.. AnnalsTelemetry.MeterNames, NpgsqlTelemetry.Name]);
    }
}
