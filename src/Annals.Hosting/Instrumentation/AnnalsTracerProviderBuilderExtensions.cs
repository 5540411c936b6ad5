using Annals.Diagnostics;
using Annals.Hosting;

namespace OpenTelemetry.Trace;

/// <summary>Subscribes an OpenTelemetry tracer provider to Annals' spans.</summary>
public static class AnnalsTracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds the activity source <see cref="AnnalsTelemetry.ActivitySourceName"/> (commits, decisions, entity commands,
    /// projection batches) and Npgsql's own, so that the SQL behind a PostgreSQL store shows under Annals' spans.
    /// </summary>
    /// <param name="builder">The tracer provider's builder.</param>
    /// <returns>The builder.</returns>
    public static TracerProviderBuilder AddAnnalsInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(AnnalsTelemetry.ActivitySourceName, NpgsqlTelemetry.Name);
    }
}
