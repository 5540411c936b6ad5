using Annals.Entities;
using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;

namespace Annals.Hosting;

/// <summary>What the application registered for one store: its types, entities and projections. Filled while services are added, read when the store opens.</summary>
internal sealed class StoreSetup(string name)
{
    public string Name { get; } = name;

    public List<Action<TypeRegistry>> Types { get; } = [];

    public List<Action<EntityEngine, IServiceProvider>> Entities { get; } = [];

    public EngineOptions? EngineOptions { get; set; }

    public List<ProjectionRegistration> Projections { get; } = [];

    public List<Action<ProcessHost, IServiceProvider>> Processes { get; } = [];
}
