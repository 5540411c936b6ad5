using Annals.Deciders;
using Annals.Entities;
using Annals.Serialization;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Processes;

/// <summary>
/// Where processes' commands go, by their target's category or their type: to entities of an engine, to a decider over
/// the target stream, or to an application handler. Every path receives the command's message id, so a command delivered
/// again (after a crash between delivering and removing it) stores nothing twice.
/// </summary>
public sealed class CommandRoutes
{
    private readonly List<EntityEngine> _engines = [];
    private readonly Dictionary<string, Func<object, CommandDelivery, MessageContext, CancellationToken, Task>> _byCategory = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, Func<object, CommandDelivery, CancellationToken, ValueTask>> _byType = [];

    /// <summary>Delivers commands to the entities of an engine, for every category it hosts, with <see cref="EntityEngine.SendCommandAsync{TState}"/>.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>These routes.</returns>
    public CommandRoutes ToEntities(EntityEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engines.Add(engine);
        return this;
    }

    /// <summary>Delivers commands whose target is in <paramref name="category"/> to a decider over the target stream, with <see cref="TypedEventStore.DecideAsync{TCommand, TState, TEvent}(StreamName, IDecider{TCommand, TState, TEvent}, TCommand, DecideOptions?, CancellationToken)"/>.</summary>
    /// <typeparam name="TCommand">The commands.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="category">The target streams' category.</param>
    /// <param name="store">The typed store the decider runs on.</param>
    /// <param name="decider">The decider.</param>
    /// <returns>These routes.</returns>
    public CommandRoutes ToDecider<TCommand, TState, TEvent>(string category, TypedEventStore store, IDecider<TCommand, TState, TEvent> decider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decider);
        NameChecks.Category(category);
        _byCategory[category] = (command, delivery, context, cancellationToken) =>
            store.DecideAsync(delivery.Target, decider, (TCommand)command, new DecideOptions { Context = context }, cancellationToken);
        return this;
    }

    /// <summary>Delivers commands of a type to an application handler; it gets the message id to do its work once.</summary>
    /// <typeparam name="TCommand">The command type.</typeparam>
    /// <param name="handler">The handler; an exception is a failed delivery, retried with back-off and parked after the last attempt.</param>
    /// <returns>These routes.</returns>
    public CommandRoutes ToHandler<TCommand>(Func<TCommand, CommandDelivery, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _byType[typeof(TCommand)] = (command, delivery, cancellationToken) => handler((TCommand)command, delivery, cancellationToken);
        return this;
    }

    internal async Task DeliverAsync(object command, CommandDelivery delivery, CancellationToken cancellationToken)
    {
        var context = new MessageContext(delivery.MessageId.ToString(), delivery.CorrelationId) { CausationId = delivery.CausationId };
        if (_byType.TryGetValue(command.GetType(), out var handler))
        {
            await handler(command, delivery, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_byCategory.TryGetValue(delivery.Target.Category, out var decide))
        {
            await decide(command, delivery, context, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var engine in _engines)
        {
            if (engine.Hosts(delivery.Target.Category))
            {
                await engine.SendAsync(delivery.Target, command, null, null, context, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        throw new UndeliverableCommandException(delivery.Target, command.GetType());
    }
}
