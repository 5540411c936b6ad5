using Annals.Orleans.LogConsistency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.Serialization;

namespace Orleans.Hosting;

/// <summary>Adds the Annals log-consistency provider to a silo.</summary>
public static class AnnalsLogConsistencySiloBuilderExtensions
{
    /// <summary>
    /// Adds a log-consistency provider that keeps each <c>JournaledGrain</c>'s events in its own Annals stream, with
    /// snapshots of its state, optimistic concurrency and idempotent retries. Grains choose it with
    /// <c>[LogConsistencyProvider(ProviderName = "annals")]</c>.
    /// </summary>
    /// <param name="builder">The silo.</param>
    /// <param name="name">The provider's name, which grains give in <c>LogConsistencyProviderAttribute.ProviderName</c>.</param>
    /// <param name="configure">Sets the options; the defaults when <see langword="null"/>.</param>
    /// <returns>The silo.</returns>
    /// <remarks>
    /// The silo's services must hold an <c>IEventStore</c> and an <c>EventCodec</c> or a <c>TypeRegistry</c> (as
    /// <c>AddAnnals</c> registers them), keyed by <see cref="AnnalsLogConsistencyOptions.StoreName"/> when it is set.
    /// Every event type the grains raise must be registered in that registry, and so must their state types while
    /// <see cref="AnnalsLogConsistencyOptions.SnapshotEvery"/> is not 0.
    /// </remarks>
    /// <exception cref="ArgumentException">The name is empty, or an option is invalid.</exception>
    public static ISiloBuilder AddAnnalsLogConsistencyProvider(this ISiloBuilder builder, string name = "annals", Action<AnnalsLogConsistencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new AnnalsLogConsistencyOptions();
        configure?.Invoke(options);
        options.Validate();

        // Log-consistent grains need these protocol services; Orleans adds its own only with its own providers.
        builder.Services.TryAddSingleton<Factory<IGrainContext, ILogConsistencyProtocolServices>>(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.EventSourcing.ProtocolServices");
            var copier = sp.GetRequiredService<DeepCopier>();
            var clusterId = sp.GetRequiredService<ILocalSiloDetails>().ClusterId;
            return context => new AnnalsProtocolServices(context, logger, copier, clusterId);
        });
        builder.Services.AddKeyedSingleton<ILogViewAdaptorFactory>(name, (sp, _) => new AnnalsLogConsistencyProvider(sp, options));
        return builder;
    }
}
