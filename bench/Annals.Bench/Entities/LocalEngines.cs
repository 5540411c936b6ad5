using Annals.Entities;
using Annals.Storage;

namespace Annals.Bench.Entities;

/// <summary>N entity engines on one store, as N processes each with its own engine would run: each holds its own copy of an entity, and they settle races on the store.</summary>
internal sealed class LocalEngines : IEntityHosts
{
    private readonly EntityEngine[] _engines;

    private LocalEngines(EntityEngine[] engines) => _engines = engines;

    public string Name => _engines.Length == 1 ? "engine" : $"engines:{_engines.Length}";

    public IReadOnlyList<ICommandSender> Senders => _engines;

    public static async Task<LocalEngines> StartAsync(IEventStore store, int engines, int? snapshotEvery)
    {
        var started = new EntityEngine[engines];
        for (var i = 0; i < engines; i++)
        {
            started[i] = await AccountEngine.StartAsync(store, snapshotEvery);
        }

        return new LocalEngines(started);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }
    }
}
