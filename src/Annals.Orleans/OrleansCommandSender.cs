using Annals.Entities;
using Annals.Orleans.Entities;
using Annals.Serialization;
using Annals.Storage;
using Orleans.Runtime;

namespace Annals.Orleans;

/// <summary>
/// Sends commands to entities hosted as grains: each entity has one activation in the cluster, on whichever silo
/// Orleans placed it, so commands to a hot entity from every silo meet in one place and none fails with a conflict.
/// Same shape and typed errors as the local <see cref="EntityEngine"/>, through <see cref="ICommandSender"/>.
/// </summary>
/// <remarks>
/// Commands and replies cross the wire as the store's payload serializer writes them (System.Text.Json by default):
/// the application's types need no Orleans serializer of their own. The events in a reply must be registered in this
/// process's type registry too.
/// </remarks>
public sealed class OrleansCommandSender : ICommandSender
{
    private readonly IGrainFactory _grains;
    private readonly Payloads _payloads;

    /// <summary>Makes a sender.</summary>
    /// <param name="grains">The cluster's grains: a silo's own, or a cluster client's.</param>
    /// <param name="codec">The type registry and payload serializer the entities' silos use.</param>
    public OrleansCommandSender(IGrainFactory grains, EventCodec codec)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(codec);
        _grains = grains;
        _payloads = new Payloads(codec);
    }

    /// <inheritdoc />
    /// <exception cref="EntityUnavailableException">The silo that held the entity went away, or did not answer within Orleans' response timeout; the command may or may not be stored.</exception>
    public async Task<EntityReply<TState>> SendCommandAsync<TState>(StreamName entity, object command, TimeSpan? timeout = null, MessageContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (timeout is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(timeout));
        }

        // A message id of its own, so that sending the same call again after an unknown outcome is recognised.
        context ??= MessageContext.New();
        var call = new EntityCall(
            _payloads.Write(command),
            timeout,
            context.MessageId,
            context.CorrelationId,
            context.CausationId,
            context.Metadata is null ? null : new Dictionary<string, string>(context.Metadata, StringComparer.Ordinal));
        EntityOutcome outcome;
        try
        {
            outcome = await _grains.GetGrain<IEntityGrain>(entity.Value).SendAsync(call).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or global::Orleans.Runtime.Messaging.ConnectionFailedException or ClientNotAvailableException or TimeoutException)
        {
            throw new EntityUnavailableException(entity, e);
        }

        if (outcome.Failure is { } failure)
        {
            throw EntityFailures.ToException(entity, failure);
        }

        var state = outcome.State is null ? default! : (TState)_payloads.Read(outcome.State, typeof(TState));
        return new EntityReply<TState>(entity, state, outcome.Revision, [.. outcome.Events.Select(_payloads.ReadEvent)]);
    }
}
