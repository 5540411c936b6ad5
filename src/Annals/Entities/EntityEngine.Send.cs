using Annals.Serialization;

namespace Annals.Entities;

public sealed partial class EntityEngine
{
    /// <summary>Sends a command to an entity and waits for its reply. Commands to one entity are handled in the order sent, one at a time.</summary>
    /// <typeparam name="TState">The state of the entity's category.</typeparam>
    /// <param name="entity">The entity, <c>category.id</c>; its category must be registered.</param>
    /// <param name="command">The command, of the category's command type.</param>
    /// <param name="timeout">How long to wait for the reply, room in the mailbox included; <see cref="EngineOptions.CommandTimeout"/> when <see langword="null"/>.</param>
    /// <param name="context">The command's id and correlation, for the metadata of its events; a new correlation when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting (and drops the command if it is still queued).</param>
    /// <returns>The entity's state and revision after the command, and the events it stored.</returns>
    /// <exception cref="EngineNotStartedException">The engine has not been started.</exception>
    /// <exception cref="EngineStoppedException">The engine is stopping or stopped.</exception>
    /// <exception cref="CommandRejectedException">The behaviour rejected the command; nothing was stored.</exception>
    /// <exception cref="CommandTimeoutException">No reply in time.</exception>
    /// <exception cref="EntityConflictException">Another writer changed the entity, twice; nothing was stored.</exception>
    /// <exception cref="ArgumentException">The category is not registered, or the command or state type does not match it.</exception>
    public async Task<EntityReply<TState>> SendCommandAsync<TState>(StreamName entity, object command, TimeSpan? timeout = null, MessageContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ThrowUnlessRunning();
        var kind = KindOf(entity, command, typeof(TState));
        var wait = timeout ?? _options.CommandTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));

        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(wait);
        var envelope = new Envelope(command, context, expiry.Token);
        try
        {
            while (true)
            {
                var host = _live.GetOrAdd(entity, static (id, state) => state.Kind.CreateHost(state.Engine, id), (Kind: kind, Engine: this));
                if (await host.PostAsync(envelope, expiry.Token).ConfigureAwait(false))
                {
                    break;
                }

                // That host passivated between the look-up and the post; the next look-up makes a new one.
                ThrowUnlessRunning();
            }

            return (EntityReply<TState>)await envelope.Reply.Task.WaitAsync(expiry.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Metrics.Command(kind.Category, "timed_out", wait.TotalMilliseconds);
            throw new CommandTimeoutException(entity, wait);
        }
    }

    private void ThrowUnlessRunning()
    {
        switch (Volatile.Read(ref _state))
        {
            case 0:
                throw new EngineNotStartedException();
            case 2:
                throw new EngineStoppedException();
        }
    }

    private EntityKind KindOf(StreamName entity, object command, Type stateType)
    {
        if (!_kinds.TryGetValue(entity.Category, out var kind))
        {
            throw new ArgumentException($"No entity category '{entity.Category}' is registered with this engine.", nameof(entity));
        }

        if (!kind.CommandType.IsInstanceOfType(command))
        {
            throw new ArgumentException($"Entities of '{kind.Category}' handle {kind.CommandType.Name} commands, not {command.GetType().Name}.", nameof(command));
        }

        if (kind.StateType != stateType)
        {
            throw new ArgumentException($"Entities of '{kind.Category}' have state {kind.StateType.Name}, not {stateType.Name}.", nameof(stateType));
        }

        return kind;
    }
}
