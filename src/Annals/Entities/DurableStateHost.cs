using Annals.Storage;

namespace Annals.Entities;

/// <summary>A live durable-state entity: its latest state and version.</summary>
internal sealed class DurableStateHost<TCommand, TState>(EntityEngine engine, DurableStateKind<TCommand, TState> kind, StreamName id) : EntityHost(engine, kind, id)
{
    private TState _state = kind.Behavior.InitialState;
    private long _version;
    private bool _stale;

    protected override async Task<long?> RecoverAsync(CancellationToken cancellationToken)
    {
        var stored = await Engine.Store.ReadStateAsync(Id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            (_state, _version) = (kind.Behavior.InitialState, 0);
            return 0;
        }

        if (!Engine.Codec.TryDecodeState<TState>(stored.Type, stored.Data, out var state, out var why))
        {
            throw new CorruptDataException($"The durable state of '{Id}' at version {stored.Version} cannot be read: {why}.");
        }

        (_state, _version) = (state, stored.Version);
        return _version;
    }

    protected override async Task<object> HandleAsync(Envelope envelope)
    {
        var command = (TCommand)envelope.Command;
        for (var attempt = 1; ; attempt++)
        {
            if (_stale)
            {
                await RecoverAsync(Engine.Aborted).ConfigureAwait(false);
                _stale = false;
            }

            (TState State, long Version) next;
            try
            {
                next = await kind.Behavior.HandleCommandAsync(command, _version, _state, envelope.Expired).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (envelope.Expired.IsCancellationRequested)
            {
                // The sender stopped waiting: not a rejection, and nothing is saved.
                throw;
            }
            catch (Exception e)
            {
                throw new CommandRejectedException(Id, e);
            }

            if (next.Version == _version && Equals(next.State, _state))
            {
                return new EntityReply<TState>(Id, _state, _version, []);
            }

            if (next.Version != _version + 1)
            {
                throw new InvalidStateVersionException(Id, _version, next.Version);
            }

            var (type, data) = Engine.Codec.EncodeState(next.State);
            try
            {
                await Engine.Store.CommitAsync(new CommitBatch().SaveState(Id, next.Version, type, data), CancellationToken.None).ConfigureAwait(false);
            }
            catch (WrongExpectedVersionException conflict)
            {
                _stale = true;
                if (attempt == 2)
                {
                    throw new EntityConflictException(Id, conflict);
                }

                continue;
            }
            catch
            {
                _stale = true;
                throw;
            }

            (_state, _version) = next;
            return new EntityReply<TState>(Id, _state, _version, []);
        }
    }
}
