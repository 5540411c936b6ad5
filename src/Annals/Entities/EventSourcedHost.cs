using Annals.Deciders;
using Annals.Storage;

namespace Annals.Entities;

/// <summary>A live event-sourced entity: its state and revision, kept in step with its stream.</summary>
internal sealed class EventSourcedHost<TCommand, TState, TEvent> : EntityHost
{
    // Enough for a sender that resends after a timeout while others keep the entity busy; a resend later than that is
    // still recognised by the store when it decides no more events than the first time.
    private const int RememberedReplies = 16;

    // An engine retries a lost race once, at once: the entity caught up is the only fresh view there is.
    private static readonly DecideOptions WithoutContext = new() { MaxAttempts = 2, RetryDelay = TimeSpan.Zero, UseCache = false };

    private readonly EventSourcedKind<TCommand, TState, TEvent> _kind;
    private readonly RejectingDecider _decider;
    private readonly Func<TState, long?, long, bool> _snapshotDue;
    private readonly Action _snapshotSaved;
    private RecentReplies? _recent;
    private StreamState<TState>? _current;
    private bool _stale;
    private bool _snapshotTaken;
    private long _lastSnapshotAt;

    public EventSourcedHost(EntityEngine engine, EventSourcedKind<TCommand, TState, TEvent> kind, StreamName id)
        : base(engine, kind, id)
    {
        _kind = kind;
        _decider = new RejectingDecider(kind.Behavior, id);
        _snapshotDue = SnapshotDue;
        _snapshotSaved = () => _snapshotTaken = true;
    }

    protected override async Task<long?> RecoverAsync(CancellationToken cancellationToken)
    {
        _current = await Engine.Typed.RecoverAsync(Id, _kind.Behavior, (snapshot, reason) => EngineLog.SnapshotSkipped(Engine.Logger, Id, snapshot.Revision, reason), cancellationToken).ConfigureAwait(false);
        _lastSnapshotAt = Engine.Time.GetTimestamp();
        return _current.Revision;
    }

    protected override async Task<object> HandleAsync(Envelope envelope)
    {
        var command = (TCommand)envelope.Command;
        if (envelope.Context is { } sent && _recent is not null && _recent.TryGet(sent.MessageId, out var earlier))
        {
            EngineLog.ResendAnswered(Engine.Logger, Id, sent.MessageId);
            return earlier;
        }

        if (_stale)
        {
            _current = await Engine.Typed.CatchUpAsync(_current!, _kind.Behavior, Engine.Aborted).ConfigureAwait(false);
            _stale = false;
        }

        _snapshotTaken = false;

        // The sender's deadline stops a decision that waits on something (an asynchronous behaviour), never a commit under way.
        _decider.Expired = envelope.Expired;
        var options = envelope.Context is null ? WithoutContext : new DecideOptions { MaxAttempts = 2, RetryDelay = TimeSpan.Zero, UseCache = false, Context = envelope.Context };
        Decision<TState, TEvent> decision;
        try
        {
            // Events are folded before they are stored: a behaviour that throws leaves nothing stored and the state as it was.
            decision = await Engine.Typed.DecideOnAsync(_current!, _decider, command, options, _snapshotDue, _snapshotSaved, null, Engine.Time.GetTimestamp(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (DecisionConflictException conflict)
        {
            _stale = true;
            throw new EntityConflictException(Id, conflict.InnerException ?? conflict);
        }
        catch (Exception e) when (e is not CommandRejectedException)
        {
            // The commit may or may not have happened (a lost connection): read the stream before the next command.
            _stale = true;
            throw;
        }

        // A replayed decision's state is the stream's now, caught up past the events stored the first time, never with them folded twice.
        _current = decision.After;
        if (_snapshotTaken)
        {
            _lastSnapshotAt = Engine.Time.GetTimestamp();
            Engine.Metrics.SnapshotWritten(Kind.Category);
        }

        var events = new object[decision.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = decision.Events[i]!;
        }

        // A replay's events were published when they were stored.
        if (events.Length > 0 && !decision.Replayed)
        {
            Engine.Publish(Id, events, decision.Revision!.Value, decision.Position!.Value);
        }

        var reply = new EntityReply<TState>(Id, decision.State, decision.Revision, events);
        if (envelope.Context is { } context)
        {
            (_recent ??= new RecentReplies(RememberedReplies)).Add(context.MessageId, reply);
        }

        return reply;
    }

    private bool SnapshotDue(TState state, long? before, long after) =>
        _kind.Snapshots.IsDue(state, before, after, Engine.Time.GetElapsedTime(_lastSnapshotAt));

    /// <summary>The behaviour, with its rejections made recognisable: only they become <see cref="CommandRejectedException"/>.</summary>
    private sealed class RejectingDecider(IAsyncDecider<TCommand, TState, TEvent> behavior, StreamName id) : IAsyncDecider<TCommand, TState, TEvent>
    {
        public TState InitialState => behavior.InitialState;

        /// <summary>The deadline of the command being handled; the host handles one at a time.</summary>
        public CancellationToken Expired { get; set; }

        public async ValueTask<IEnumerable<TEvent>> DecideAsync(TCommand command, TState state, CancellationToken cancellationToken)
        {
            try
            {
                return (await behavior.DecideAsync(command, state, Expired).ConfigureAwait(false)).ToList();
            }
            catch (OperationCanceledException) when (Expired.IsCancellationRequested)
            {
                // The sender stopped waiting: not a rejection, and nothing is stored.
                throw;
            }
            catch (Exception e)
            {
                throw new CommandRejectedException(id, e);
            }
        }

        public TState Evolve(TState state, TEvent @event) => behavior.Evolve(state, @event);
    }
}
