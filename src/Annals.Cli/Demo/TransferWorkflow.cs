using Annals.Processes;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Cli.Demo;

/// <summary>A transfer was asked for: the workflow debits the sender, then credits the receiver.</summary>
[EventType("TransferRequested")]
internal sealed record TransferRequested(string Transfer, string From, string To, long Amount);

/// <summary>The workflow's timeout: the credit must be done by then, or the debit is refunded.</summary>
[EventType("CreditDeadline")]
internal sealed record CreditDeadline(string Transfer);

/// <summary>Where one transfer is: debited yet or not.</summary>
[EventType("TransferState")]
internal sealed record TransferState(string From, string To, long Amount, bool Debited);

/// <summary>
/// The transfer process manager: a requested transfer debits the sender (a command to its account), then credits the
/// receiver; if the credit is not done before the deadline, the debit is refunded. Each instance is one transfer.
/// </summary>
internal sealed class TransferWorkflow(TimeSpan creditDeadline) : IProcess<TransferState>
{
    public const string Name = "transfers";
    public const string Deadline = "credit-deadline";

    public EventFilter Filter { get; } = EventFilter.Subjects("transfer.*.TransferRequested", "account.*.TransferSent", "account.*.TransferReceived");

    public TransferState InitialState { get; } = new(string.Empty, string.Empty, 0, false);

    // Transfers made without the workflow (the demo's first one) reach no instance and are passed by.
    public ProcessRoute Route(object @event) => @event switch
    {
        TransferRequested e => ProcessRoute.Start(e.Transfer),
        TransferSent e => ProcessRoute.To(e.Transfer),
        TransferReceived e => ProcessRoute.To(e.Transfer),
        _ => ProcessRoute.Ignore,
    };

    public ProcessStep<TransferState> Handle(TransferState state, object message, ProcessContext context) => message switch
    {
        TransferRequested e => ProcessStep.With(new TransferState(e.From, e.To, e.Amount, false))
            .Send(Bank.Account(e.From), new SendTransfer(e.From, e.Transfer, e.To, e.Amount))
            .Schedule(Deadline, context.Now + creditDeadline, new CreditDeadline(e.Transfer)),
        TransferSent e => ProcessStep.With(state with { Debited = true })
            .Send(Bank.Account(state.To), new ReceiveTransfer(state.To, e.Transfer, state.From, state.Amount)),
        TransferReceived => ProcessStep.With(state).Cancel(Deadline).End(),
        CreditDeadline e when state.Debited => ProcessStep.With(state)
            .Send(Bank.Account(state.From), new Deposit(state.From, state.Amount, $"refund of {e.Transfer}"))
            .End(),
        CreditDeadline => ProcessStep.With(state).End(),
        _ => ProcessStep.With(state),
    };
}
