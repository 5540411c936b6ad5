using Microsoft.Extensions.DependencyInjection;

namespace Annals.Hosting;

/// <summary>
/// Every store added to one service collection, by name. Kept in the collection itself as an instance, so that a
/// second <c>AddAnnals</c> for a name adds to its setup instead of registering its services twice.
/// </summary>
internal sealed class StoreSetups
{
    private readonly Dictionary<string, StoreSetup> _byName = new(StringComparer.Ordinal);

    public IReadOnlyCollection<StoreSetup> All => _byName.Values;

    public static StoreSetups In(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(StoreSetups) && !d.IsKeyedService)?.ImplementationInstance is StoreSetups existing)
        {
            return existing;
        }

        var setups = new StoreSetups();
        services.AddSingleton(setups);
        return setups;
    }

    public bool TryGet(string name, out StoreSetup setup) => _byName.TryGetValue(name, out setup!);

    /// <summary>The setup of a store, and whether it is new.</summary>
    public (StoreSetup Setup, bool IsNew) GetOrAdd(string name)
    {
        if (_byName.TryGetValue(name, out var setup))
        {
            return (setup, false);
        }

        setup = new StoreSetup(name);
        _byName[name] = setup;
        return (setup, true);
    }
}
