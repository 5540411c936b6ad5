using Annals.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of hosted Annals stores.</summary>
public static class AnnalsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the default store: <c>annals</c>, whether it is open and answers a read; and <c>annals:projection:&lt;name&gt;</c>
    /// for each projection added with <see cref="AnnalsBuilder.AddProjection{TProjection}"/>: healthy when live and within
    /// <c>Annals:Health:MaxProjectionLag</c>, degraded while catching up, lagging further or paused, unhealthy when faulted.
    /// </summary>
    /// <param name="builder">The health checks.</param>
    /// <param name="tags">Tags of every check added, to filter them by (<c>MapHealthChecks</c>' predicate).</param>
    /// <returns>The health checks.</returns>
    public static IHealthChecksBuilder AddAnnals(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null) =>
        Add(builder, StoreNames.Default, tags);

    /// <summary>Checks a named store, as the default one: <c>annals:&lt;store&gt;</c> and <c>annals:&lt;store&gt;:projection:&lt;name&gt;</c>, against <c>Annals:Stores:&lt;store&gt;:Health:MaxProjectionLag</c>.</summary>
    /// <param name="builder">The health checks.</param>
    /// <param name="storeName">The store's name, as given to <c>AddAnnals</c>.</param>
    /// <param name="tags">Tags of every check added.</param>
    /// <returns>The health checks.</returns>
    public static IHealthChecksBuilder AddAnnals(this IHealthChecksBuilder builder, string storeName, IEnumerable<string>? tags = null)
    {
        StoreNames.Check(storeName);
        return Add(builder, storeName, tags);
    }

    private static IHealthChecksBuilder Add(IHealthChecksBuilder builder, string storeName, IEnumerable<string>? tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var setups = StoreSetups.In(builder.Services);
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(new AnnalsHealthRegistrations(setups, storeName, [.. tags ?? []]));
        return builder;
    }
}
