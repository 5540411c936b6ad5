using Annals.Entities;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Annals.Orleans.Entities;

/// <summary>
/// An entity's one activation in the cluster. It hands each command to the entity engine of its silo, which recovers
/// the entity from the store (snapshot, then later events), decides, stores and snapshots, one command at a time in the
/// order they reach its mailbox. The grain is reentrant: the next command waits in that mailbox, not in Orleans' queue
/// for the end of a grain turn, so a hot entity's commands follow each other without a round of messaging between
/// them. When Orleans collects the idle grain, or moves it, the engine lets the entity go at once, so no silo keeps a
/// copy that another silo now owns.
/// </summary>
[global::Orleans.Placement.PreferLocalPlacement]
[global::Orleans.Concurrency.Reentrant]
internal sealed class EntityGrain(IServiceProvider services) : Grain, IEntityGrain
{
    private EntityEngine? _engine;
    private Payloads? _payloads;

    private EntityEngine Engine => _engine ??= services.GetRequiredService<EntityEngine>();

    private Payloads Payloads => _payloads ??= new Payloads(services.GetRequiredService<EventCodec>());

    private StreamName Entity => StreamName.Parse(this.GetPrimaryKeyString());

    public async Task<EntityOutcome> SendAsync(EntityCall call)
    {
        try
        {
            var entity = Entity;
            if (!Engine.TryGetTypes(entity.Category, out var commandType, out _))
            {
                throw new ArgumentException($"No entity category '{entity.Category}' is registered with the entity engine of this silo: every silo must register the same categories.");
            }

            var command = Payloads.Read(call.Command, commandType);
            var context = new MessageContext(call.MessageId, call.CorrelationId, call.Metadata) { CausationId = call.CausationId };
            var reply = (IEntityReply)await Engine.SendAsync(entity, command, null, call.Timeout, context, CancellationToken.None);
            return new EntityOutcome(
                reply.State is null ? null : Payloads.Write(reply.State),
                reply.Revision,
                [.. reply.Events.Select(Payloads.WriteEvent)],
                null);
        }
        catch (Exception e)
        {
            return new EntityOutcome(null, null, [], EntityFailures.From(e));
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _engine?.Release(Entity);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }
}
