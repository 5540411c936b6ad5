using Annals.Serialization;
using Annals.Storage;

namespace Annals.Entities;

public sealed partial class EntityEngine
{
    /// <summary>Sends a command to an entity and waits for its reply. Commands to one entity are handled in the order sent, one at a time.</summary>
    /// <remarks>The same as <see cref="ICommandSender.SendCommandAsync{TState}"/>, for an entity in this engine.</remarks>
    /// <typeparam name="TState">The state of the entity's category.</typeparam>
    /// <param name="entity">The entity, <c>category.id</c>; its category must be registered.</param>
    /// <param name="command">The command, of the category's command type.</param>
    /// <param name="timeout">How long to wait for the reply, room in the mailbox included; <see cref="EngineOptions.CommandTimeout"/> when <see langword="null"/>.</param>
    /// <param name="context">
    /// The command's id and correlation, for the metadata of its events; a new correlation when <see langword="null"/>.
    /// Its <see cref="MessageContext.MessageId"/> names this one command, and makes sending it again safe after an
    /// unknown outcome (a <see cref="CommandTimeoutException"/>, a lost connection): send the same command with a context of
    /// the same message id. On an event-sourced entity of this engine that stayed in memory since, the reply is the one the
    /// first send got (the entity remembers its last 16 such replies), and nothing is decided again. Otherwise (another
    /// engine, or the entity was passivated) the command is decided again on the entity's state now, and its events get the
    /// ids of the first send (<see cref="EventIds"/>): when they were stored and it decides no more of them, nothing is
    /// stored twice, and the reply names the first send's revision and events, with the entity's state now; one that
    /// decides more fails with <see cref="DuplicateEventIdException"/>, and one the new state rejects is rejected. A
    /// durable-state entity stores no event ids and remembers no replies: a command sent to it again is not recognised,
    /// and is handled again. Use a new message id for every new command: one used again is taken for a resend.
    /// </param>
    /// <param name="cancellationToken">Stops waiting (and drops the command if it is still queued).</param>
    /// <returns>The entity's state and revision after the command, and the events it stored.</returns>
    /// <exception cref="EngineNotStartedException">The engine has not been started.</exception>
    /// <exception cref="EngineStoppedException">The engine is stopping or stopped.</exception>
    /// <exception cref="CommandRejectedException">The behaviour rejected the command; nothing was stored.</exception>
    /// <exception cref="CommandTimeoutException">No reply in time, on the engine's clock; the command may still be stored (send it again with the same <paramref name="context"/> to find out safely).</exception>
    /// <exception cref="DuplicateEventIdException">A command sent again decided more events than the first send stored; nothing more was stored.</exception>
    /// <exception cref="EntityConflictException">Another writer changed the entity, twice; nothing was stored.</exception>
    /// <exception cref="ArgumentException">The category is not registered, or the command or state type does not match it.</exception>
    public async Task<EntityReply<TState>> SendCommandAsync<TState>(StreamName entity, object command, TimeSpan? timeout = null, MessageContext? context = null, CancellationToken cancellationToken = default) =>
        (EntityReply<TState>)await SendAsync(entity, command, typeof(TState), timeout, context, cancellationToken).ConfigureAwait(false);

    /// <summary>Whether entities of a category are registered here, to be sent commands.</summary>
    internal bool Hosts(string category) => _kinds.ContainsKey(category);

    /// <summary>Sends a command whatever the entity's state type (a process's dispatcher, which knows only the stream); the reply is the typed one.</summary>
    internal async Task<object> SendAsync(StreamName entity, object command, Type? stateType, TimeSpan? timeout, MessageContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ThrowUnlessRunning();
        var kind = KindOf(entity, command, stateType);
        var wait = timeout ?? _options.CommandTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));

        // The deadline runs on the engine's clock, as idle timeouts do, so a test can move it.
        using var deadline = new CancellationTokenSource(wait, Time);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token) : null;
        var expiry = linked?.Token ?? deadline.Token;
        using var span = CommandSpan.Start(entity, context);
        var envelope = new Envelope(command, context, expiry, span);
        try
        {
            while (true)
            {
                var host = _live.GetOrAdd(entity, static (id, state) => state.Kind.CreateHost(state.Engine, id), (Kind: kind, Engine: this));
                if (await host.PostAsync(envelope, expiry).ConfigureAwait(false))
                {
                    break;
                }

                // That host passivated between the look-up and the post; the next look-up makes a new one.
                ThrowUnlessRunning();
            }

            return await envelope.Reply.Task.WaitAsync(expiry).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Metrics.Command(kind.Category, "timed_out", wait.TotalMilliseconds);
            var timedOut = new CommandTimeoutException(entity, wait);
            CommandSpan.Failed(span, timedOut);
            throw timedOut;
        }
        catch (Exception e) when (CommandSpan.Failed(span, e))
        {
            throw;
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

    private EntityKind KindOf(StreamName entity, object command, Type? stateType)
    {
        if (!_kinds.TryGetValue(entity.Category, out var kind))
        {
            throw new ArgumentException($"No entity category '{entity.Category}' is registered with this engine.", nameof(entity));
        }

        if (!kind.CommandType.IsInstanceOfType(command))
        {
            throw new ArgumentException($"Entities of '{kind.Category}' handle {kind.CommandType.Name} commands, not {command.GetType().Name}.", nameof(command));
        }

        if (stateType is not null && kind.StateType != stateType)
        {
            throw new ArgumentException($"Entities of '{kind.Category}' have state {kind.StateType.Name}, not {stateType.Name}.", nameof(stateType));
        }

        return kind;
    }
}
