using Annals.Deciders;
using Annals.Entities;
using Annals.Hosting;
using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Annals stores to a service collection, each opened when the host starts and closed when it stops.</summary>
public static class AnnalsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default store: <see cref="IEventStore"/>, <see cref="TypeRegistry"/>, <see cref="EventCodec"/>,
    /// <see cref="TypedEventStore"/>, <see cref="EntityEngine"/> and <see cref="ProjectionHost"/>, registered without a key,
    /// and a hosted service that opens the store before any hosted service starts and closes it after all have stopped.
    /// Its options are bound from the configuration section <c>Annals</c> and checked when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Chooses the backend and adds types, entities and projections.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAnnals(this IServiceCollection services, Action<AnnalsBuilder> configure) =>
        Add(services, StoreNames.Default, configure);

    /// <summary>
    /// Adds a named store: its services are keyed by <paramref name="name"/> (<c>[FromKeyedServices("orders")] IEventStore</c>)
    /// and its options bound from <c>Annals:Stores:&lt;name&gt;</c>. Otherwise as the default store.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The store's name: its services' key; without ':'.</param>
    /// <param name="configure">Chooses the backend and adds types, entities and projections.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAnnals(this IServiceCollection services, string name, Action<AnnalsBuilder> configure)
    {
        StoreNames.Check(name);
        return Add(services, name, configure);
    }

    private static IServiceCollection Add(IServiceCollection services, string name, Action<AnnalsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var setups = StoreSetups.In(services);
        var (setup, isNew) = setups.GetOrAdd(name);
        if (isNew)
        {
            AddShared(services, setups);
            AddStore(services, setup);
        }

        configure(new AnnalsBuilder(services, setup));
        return services;
    }

    private static void AddShared(IServiceCollection services, StoreSetups setups)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AnnalsOptions>, AnnalsConfigurationBinder>(sp => new AnnalsConfigurationBinder(sp, setups)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnnalsOptions>>(new AnnalsOptionsValidator(setups)));
    }

    private static void AddStore(IServiceCollection services, StoreSetup setup)
    {
        var name = setup.Name;

        // The stores' clocks and logs are the container's, unless the code's Use… sets others: this runs before them.
        services.AddOptions<AnnalsOptions>(name)
            .Configure<IServiceProvider>((options, sp) =>
            {
                var time = sp.GetRequiredService<TimeProvider>();
                var logs = sp.GetService<ILoggerFactory>();
                options.Sqlite.TimeProvider = time;
                options.Sqlite.LoggerFactory = logs;
                options.Postgres.TimeProvider = time;
                options.Postgres.LoggerFactory = logs;
                options.Nats.TimeProvider = time;
                options.Nats.LoggerFactory = logs;
                options.InMemory.TimeProvider = time;
            })
            .ValidateOnStart();

        services.AddKeyedSingleton(name, (sp, _) => new StoreRuntime(setup, sp));
        services.AddSingleton<IHostedService>(sp => new StoreLifecycle(sp.GetRequiredKeyedService<StoreRuntime>(name)));

        if (StoreNames.IsDefault(name))
        {
            services.TryAddSingleton(sp => Runtime(sp, name).Store);
            services.TryAddSingleton(sp => Runtime(sp, name).Registry);
            services.TryAddSingleton(sp => Runtime(sp, name).Codec);
            services.TryAddSingleton(sp => Runtime(sp, name).Typed);
            services.TryAddSingleton(sp => Runtime(sp, name).Engine);
            services.TryAddSingleton<ICommandSender>(sp => Runtime(sp, name).Engine);
            services.TryAddSingleton(sp => Runtime(sp, name).Projections);
            services.TryAddSingleton(sp => Runtime(sp, name).Processes);
        }
        else
        {
            services.TryAddKeyedSingleton(name, (sp, _) => Runtime(sp, name).Store);
            services.TryAddKeyedSingleton(name, (sp, _) => Runtime(sp, name).Registry);
            services.TryAddKeyedSingleton(name, (sp, _) => Runtime(sp, name).Codec);
            services.TryAddKeyedSingleton(name, (sp, _) => Runtime(sp, name).Typed);
            services.TryAddKeyedSingleton(name, (sp, _) => Runtime(sp, name).Engine);
            services.TryAddKeyedSingleton<ICommandSender>(name, (sp, _) => Runtime(sp, name).Engine);
            services.TryAddKeyedSingleton(name, (sp, _) => Runtime(sp, name).Projections);
            services.TryAddKeyedSingleton(name, (sp, _) => Runtime(sp, name).Processes);
        }
    }

    private static StoreRuntime Runtime(IServiceProvider services, string name) => services.GetRequiredKeyedService<StoreRuntime>(name);
}
