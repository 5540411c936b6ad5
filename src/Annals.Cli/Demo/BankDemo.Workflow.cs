using Annals.Processes;
using Annals.Storage;

namespace Annals.Cli.Demo;

internal sealed partial class BankDemo
{
    /// <summary>Short, so the demo shows the deadline firing; a bank would wait minutes.</summary>
    private static readonly TimeSpan CreditDeadline = TimeSpan.FromSeconds(2);

    private async Task TransferWorkflowAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(11, $"A transfer workflow (process manager '{TransferWorkflow.Name}'): debit, then credit, refunded if the credit is not done within {CreditDeadline.TotalSeconds:0} s");
        await using var processes = new ProcessHost(_bank.Store, _bank.Codec);
        processes.Routes.ToDecider("account", _bank, AccountDecider.Instance);
        processes.Add(TransferWorkflow.Name, new TransferWorkflow(CreditDeadline), new ProcessOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            MaxAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(100),
        });
        await processes.StartAsync(cancellationToken);

        var done = await RequestAsync("t-2001", "alice", "bob", 50, cancellationToken);
        _narrator.Detail("The request starts an instance that sends SendTransfer to Alice's account and schedules its credit deadline,");
        _narrator.Detail("all in the commit of the workflow's checkpoint; Alice's TransferSent then makes it send ReceiveTransfer to Bob.");
        await WaitForAsync(Bank.Account("bob"), e => e.Type == "TransferReceived" && e.DataAsText().Contains("t-2001", StringComparison.Ordinal), cancellationToken);
        _narrator.Detail($"t-2001: Bob received 50 {Bank.Currency}; the instance cancelled its deadline and ended.");

        var refunded = await RequestAsync("t-2002", "bob", "dave", 20, cancellationToken);
        _narrator.Detail("t-2002: Dave has no account, so ReceiveTransfer is rejected, tried again, then parked:");
        var refund = await WaitForAsync(Bank.Account("bob"), e => e.Type == "Deposited" && e.DataAsText().Contains("refund of t-2002", StringComparison.Ordinal), cancellationToken);

        // The credit is parked after its second attempt, well before the deadline; a slow machine is waited for.
        for (var look = 0; look < 1500 && (await processes.GetStatusAsync(TransferWorkflow.Name, cancellationToken)).Parked == 0; look++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
        }

        foreach (var parked in await ParkedProcessMessages.ListAsync(_bank.Store, TransferWorkflow.Name, cancellationToken))
        {
            _narrator.Detail($"   parked {(parked.Kind == ProcessMessageKind.Command ? "command" : "timeout")} {parked.Type} to {parked.Target} after {parked.Failures} attempts: {parked.Error}");
        }

        _narrator.Detail($"and when its deadline fired, {CreditDeadline.TotalSeconds:0} s after the request, the workflow refunded Bob: {refund.Stream}@{refund.Revision} {refund.Type} {refund.DataAsText()}");
        // The refund is stored a moment before its command leaves the queue.
        var status = await processes.GetStatusAsync(TransferWorkflow.Name, cancellationToken);
        for (var look = 0; status.PendingCommands > 0 && look < 100; look++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
            status = await processes.GetStatusAsync(TransferWorkflow.Name, cancellationToken);
        }

        _narrator.Detail($"The workflow is {status.Events.State} at position {status.Events.Position}, with {status.PendingCommands} commands and {status.PendingTimeouts} timeouts pending and {status.Parked} parked.");
        _narrator.Detail($"(requests stored at positions {done.LastPosition} and {refunded.LastPosition}; both instances have ended, so their state is gone)");
        await processes.StopAsync(cancellationToken);
    }

    private async Task<AppendResult> RequestAsync(string transfer, string from, string to, long amount, CancellationToken cancellationToken)
    {
        var requested = await _bank.AppendAsync(StreamName.For("transfer", transfer), ExpectedRevision.NoStream, [new TransferRequested(transfer, from, to, amount)], cancellationToken: cancellationToken);
        _narrator.Detail($"transfer.{transfer}@0 TransferRequested: {amount} {Bank.Currency} from {from} to {to}");
        return requested;
    }

    /// <summary>Follows a stream until an event that matches is stored; a workflow that stalls fails the demo instead of holding it.</summary>
    private async Task<RecordedEvent> WaitForAsync(StreamName stream, Func<RecordedEvent, bool> match, CancellationToken cancellationToken)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60), TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, patience.Token);
        await foreach (var e in _bank.Store.SubscribeAsync(0, EventFilter.ForStreams(stream), linked.Token))
        {
            if (match(e))
            {
                return e;
            }
        }

        throw new InvalidOperationException($"The subscription to {stream} ended.");
    }
}
