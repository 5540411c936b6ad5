using Annals.Processes;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Samples.Bank.Processes;

/// <summary>One transfer in the transfer process: who sends, who receives, how much.</summary>
public sealed record TransferInFlight(string From, string To, long Amount);

/// <summary>The refund deadline of a transfer, handed back to its instance when its credit was not stored in time.</summary>
[EventType("TransferRefundDue")]
public sealed record TransferRefundDue(string Transfer);

/// <summary>
/// Credits every transfer, and refunds it when the credit does not come: one instance per transfer (its id), started by
/// the debit, <see cref="TransferSent"/>. It sends <see cref="ReceiveTransfer"/> to the receiver's entity and schedules a
/// refund deadline; the credit, <see cref="TransferReceived"/>, cancels the deadline and ends the instance; the deadline
/// sends <see cref="RefundTransfer"/> to the sender's entity and ends it. A credit the receiver refuses (a closed account)
/// is parked by the process host, so the deadline refunds it.
/// </summary>
/// <remarks>
/// Each step is stored with the process's checkpoint, and each command is delivered with a message id of its own from
/// which the entity derives its events' ids, so nothing is credited or refunded twice. A debit gets its credit or its
/// refund, not both, provided the credit is delivered or parked, and seen by the process, before the deadline: retries
/// give up within about a minute, far within <see cref="BankOptions.RefundAfter"/>; a parked credit whose transfer was
/// refunded stays parked for the record, and replaying it would credit the transfer as well.
/// </remarks>
public sealed class TransferProcess(TimeSpan refundAfter) : IProcess<TransferInFlight>
{
    public const string Name = "transfers";

    private const string Deadline = "refund";

    /// <summary>Retries short enough that a credit is delivered or parked long before its refund deadline.</summary>
    public static ProcessOptions Options { get; } = new()
    {
        RetryDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromSeconds(10),
        MaxAttempts = 10,
    };

    public EventFilter Filter { get; } = EventFilter.Subjects(
        $"{AccountEntity.Category}.*.{nameof(TransferSent)}",
        $"{AccountEntity.Category}.*.{nameof(TransferReceived)}");

    public TransferInFlight InitialState { get; } = new(string.Empty, string.Empty, 0);

    public ProcessRoute Route(object @event) => @event switch
    {
        TransferSent sent => ProcessRoute.Start(sent.Transfer),
        TransferReceived received => ProcessRoute.To(received.Transfer),
        _ => ProcessRoute.Ignore,
    };

    public ProcessStep<TransferInFlight> Handle(TransferInFlight state, object message, ProcessContext context) => message switch
    {
        TransferSent sent when context.IsNew => ProcessStep.With(new TransferInFlight(sent.Account, sent.To, sent.Amount))
            .Send(BankStreams.Account(sent.To), new ReceiveTransfer(sent.To, sent.Transfer, sent.Account, sent.Amount))
            .Schedule(Deadline, context.Now + refundAfter, new TransferRefundDue(sent.Transfer)),
        TransferReceived => ProcessStep.With(state).Cancel(Deadline).End(),
        TransferRefundDue due => ProcessStep.With(state)
            .Send(BankStreams.Account(state.From), new RefundTransfer(state.From, due.Transfer, state.To, state.Amount))
            .End(),

        // A debit seen again for a running instance changes nothing.
        _ => ProcessStep.With(state),
    };
}
