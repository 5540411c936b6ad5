using System.Collections.Concurrent;
using Annals.Processes;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Testing.Conformance.Processes;

/// <summary>A transfer was asked for: it starts the transfer's instance.</summary>
internal sealed record TransferRequested(string Transfer, string From, string To, int Amount);

/// <summary>The source account was debited.</summary>
internal sealed record Debited(string Transfer);

/// <summary>The target account was credited: the transfer is done.</summary>
internal sealed record Credited(string Transfer);

/// <summary>The credit deadline moves to this many minutes from now.</summary>
internal sealed record DeadlineMoved(string Transfer, int Minutes);

/// <summary>Cancels a timeout by name, pending or not.</summary>
internal sealed record TimeoutForgotten(string Transfer, string Timeout);

/// <summary>Schedules a reminder of a name, this many minutes from now.</summary>
internal sealed record ReminderSet(string Transfer, string Name, int Minutes);

/// <summary>A reminder's payload: the instance only counts it.</summary>
internal sealed record Reminder(string Transfer, string Name);

/// <summary>An event the process ignores.</summary>
internal sealed record TransferNoted(string Transfer);

/// <summary>Takes the amount from the source account.</summary>
internal sealed record Debit(string Transfer, int Amount);

/// <summary>Gives the amount to the target account.</summary>
internal sealed record Credit(string Transfer, int Amount);

/// <summary>Gives the amount back to the source account.</summary>
internal sealed record Refund(string Transfer, int Amount);

/// <summary>The credit deadline's payload.</summary>
internal sealed record CreditDeadline(string Transfer);

/// <summary>A transfer instance's state: its accounts, amount, stage and how many steps it took.</summary>
internal sealed record TransferState(string From, string To, int Amount, string Stage, int Steps);

/// <summary>
/// The transfer workflow: a request debits the source and sets a credit deadline 5 minutes ahead; the debit credits the
/// target; the credit cancels the deadline and ends; the deadline refunds the source and ends.
/// </summary>
internal sealed class TransferProcess : IProcess<TransferState>
{
    public const string Deadline = "credit-deadline";

    private readonly ConcurrentQueue<(object Event, ProcessContext Context)> _notFound = new();
    private readonly ConcurrentQueue<(object Message, ProcessContext Context)> _handled = new();

    /// <summary>Maps each command before it is sent (to send it to wallets or counters instead of accounts).</summary>
    public Func<ProcessCommand, ProcessCommand> Commands { get; init; } = c => c;

    public EventFilter Filter { get; } = EventFilter.Parse("transfer.*");

    public TransferState InitialState { get; } = new(string.Empty, string.Empty, 0, "new", 0);

    public IReadOnlyCollection<(object Event, ProcessContext Context)> NotFound => _notFound;

    public IReadOnlyCollection<(object Message, ProcessContext Context)> Handled => _handled;

    public static StreamName Account(string id) => StreamName.For("account", id);

    public ProcessRoute Route(object @event) => @event switch
    {
        TransferRequested e => ProcessRoute.Start(e.Transfer),
        Debited e => ProcessRoute.To(e.Transfer),
        Credited e => ProcessRoute.To(e.Transfer),
        DeadlineMoved e => ProcessRoute.To(e.Transfer),
        TimeoutForgotten e => ProcessRoute.To(e.Transfer),
        ReminderSet e => ProcessRoute.To(e.Transfer),
        _ => ProcessRoute.Ignore,
    };

    public ProcessStep<TransferState> Handle(TransferState state, object message, ProcessContext context)
    {
        _handled.Enqueue((message, context));
        var next = state with { Steps = state.Steps + 1 };
        return message switch
        {
            TransferRequested e => Send(ProcessStep.With(new TransferState(e.From, e.To, e.Amount, "debiting", 1)), Account(e.From), new Debit(e.Transfer, e.Amount))
                .Schedule(Deadline, context.Now.AddMinutes(5), new CreditDeadline(e.Transfer)),
            Debited e => Send(ProcessStep.With(next with { Stage = "crediting" }), Account(state.To), new Credit(e.Transfer, state.Amount)),
            Credited => ProcessStep.With(next with { Stage = "done" }).Cancel(Deadline).End(),
            DeadlineMoved e => ProcessStep.With(next).Schedule(Deadline, context.Now.AddMinutes(e.Minutes), new CreditDeadline(e.Transfer)),
            TimeoutForgotten e => ProcessStep.With(next).Cancel(e.Timeout),
            ReminderSet e => ProcessStep.With(next).Schedule(e.Name, context.Now.AddMinutes(e.Minutes), new Reminder(e.Transfer, e.Name)),
            Reminder => ProcessStep.With(next),
            CreditDeadline e => Send(ProcessStep.With(next with { Stage = "refunded" }), Account(state.From), new Refund(e.Transfer, state.Amount)).End(),
            _ => throw new ArgumentOutOfRangeException(nameof(message)),
        };
    }

    public void OnNotFound(object @event, ProcessContext context) => _notFound.Enqueue((@event, context));

    private ProcessStep<TransferState> Send(ProcessStep<TransferState> step, StreamName target, object command)
    {
        var mapped = Commands(new ProcessCommand(target, command));
        return step.Send(mapped.Target, mapped.Command);
    }
}

/// <summary>The transfer workflow as an asynchronous process, which can hold an event batch, or a timeout, until released.</summary>
internal sealed class AsyncTransferProcess(TransferProcess inner) : IAsyncProcess<TransferState>
{
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _events;

    /// <summary>Once this many events are handled, the next one waits until the process stops (or <see cref="Release"/>).</summary>
    public int? HoldAfterEvents { get; set; }

    /// <summary>Whether a timeout's step waits until <see cref="Release"/>.</summary>
    public bool HoldTimeouts { get; set; }

    /// <summary>Completes when a step is held.</summary>
    public Task Holding => _holding.Task;

    public EventFilter Filter => inner.Filter;

    public TransferState InitialState => inner.InitialState;

    public ProcessRoute Route(object @event) => inner.Route(@event);

    public void Release() => _release.TrySetResult();

    public async ValueTask<ProcessStep<TransferState>> HandleAsync(TransferState state, object message, ProcessContext context, CancellationToken cancellationToken)
    {
        var hold = context.Timeout is null
            ? HoldAfterEvents is { } after && Interlocked.Increment(ref _events) > after
            : HoldTimeouts;
        if (hold && !_release.Task.IsCompleted)
        {
            _holding.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }

        // A step of its own: it may call out before it decides.
        await Task.Yield();
        return inner.Handle(state, message, context);
    }

    public ValueTask OnNotFoundAsync(object @event, ProcessContext context, CancellationToken cancellationToken)
    {
        inner.OnNotFound(@event, context);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The process suite's types.</summary>
internal static class ProcessTypes
{
    public static EventCodec Codec() => new(new TypeRegistry()
        .Register<TransferRequested>("transfer-requested")
        .Register<Debited>("transfer-debited")
        .Register<Credited>("transfer-credited")
        .Register<DeadlineMoved>("transfer-deadline-moved")
        .Register<TimeoutForgotten>("transfer-timeout-forgotten")
        .Register<TransferNoted>("transfer-noted")
        .Register<ReminderSet>("transfer-reminder-set")
        .Register<Reminder>("transfer-reminder")
        .Register<Debit>("account-debit")
        .Register<Credit>("account-credit")
        .Register<Refund>("account-refund")
        .Register<CreditDeadline>("transfer-credit-deadline")
        .Register<TransferState>("transfer-state")
        .Register<Entities.Add>("wallet-add")
        .Register<Entities.Added>("wallet-added")
        .Register<Entities.Taken>("wallet-taken")
        .Register<Entities.Wallet>("wallet-state")
        .Register<Deciders.Increment>("counter-increment")
        .Register<Deciders.Incremented>("counter-incremented")
        .Register<Deciders.CounterState>("counter-state"));
}
