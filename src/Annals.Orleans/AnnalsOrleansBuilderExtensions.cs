using Annals.Entities;
using Annals.Orleans;
using Annals.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

/// <summary>Runs Annals entities on an Orleans cluster.</summary>
public static class AnnalsOrleansBuilderExtensions
{
    /// <summary>
    /// Hosts the silo's Annals entities as grains: one activation per entity across the cluster, which hands its
    /// commands to this silo's <see cref="EntityEngine"/>, and makes <see cref="ICommandSender"/> send to the grains.
    /// </summary>
    /// <remarks>
    /// The silo's container must hold the <see cref="EntityEngine"/> (with every category registered, the same on every
    /// silo) and its <see cref="EventCodec"/>: <c>services.AddAnnals(b => b.UsePostgres(…).AddEntities(…))</c> does both.
    /// </remarks>
    /// <param name="builder">The silo.</param>
    /// <returns>The silo.</returns>
    public static ISiloBuilder AddAnnalsEntities(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSender(builder.Services);
        return builder;
    }

    /// <summary>Makes <see cref="ICommandSender"/> of a cluster client send to the entities' grains.</summary>
    /// <remarks>The client's container must hold an <see cref="EventCodec"/> with the entities' events registered.</remarks>
    /// <param name="builder">The client.</param>
    /// <returns>The client.</returns>
    public static IClientBuilder AddAnnalsEntities(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSender(builder.Services);
        return builder;
    }

    private static void AddSender(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ICommandSender>(sp => new OrleansCommandSender(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<EventCodec>())));
}
