namespace Annals.Orleans.Entities;

/// <summary>One Annals entity as a grain, keyed by its stream name (<c>category.id</c>): its one activation in the cluster forwards commands to its silo's entity engine, which handles them one at a time.</summary>
internal interface IEntityGrain : IGrainWithStringKey
{
    Task<EntityOutcome> SendAsync(EntityCall call);
}
