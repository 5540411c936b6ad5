using System.Text;
using Annals.Deciders;
using Annals.Storage;

namespace Annals.Cli.Demo;

internal sealed partial class BankDemo
{
    private async Task SnapshotAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(8, $"Alice's fifth event: its decision saves a snapshot in the same commit (SnapshotEvery = {SnapshotEvery})");
        var refund = await DecideAsync(new Deposit("alice", 100, "refund"), cancellationToken);
        _narrator.Stored(refund);
        if (await _bank.Store.ReadSnapshotAsync(refund.Stream, cancellationToken) is not { } snapshot)
        {
            _narrator.Detail($"No snapshot of {refund.Stream} was saved.");
            return;
        }

        _narrator.Detail($"Snapshot of {snapshot.Stream} at revision {snapshot.Revision}: {snapshot.Type} {Encoding.UTF8.GetString(snapshot.Data.Span)}");
        var loaded = await _bank.LoadAsync(refund.Stream, AccountDecider.Instance, cancellationToken);
        _narrator.Detail($"LoadAsync starts from it and folds only the events after revision {snapshot.Revision}: balance {loaded.State.Balance} {Bank.Currency} at revision {loaded.Revision}.");
    }

    private async Task WatchBalancesAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(9, "Watch the balances: a read model that catches up with the log, then follows it live");
        await using var watcher = _bank.Watch(Balances.Evolver, new WatchOptions { Filter = Balances.Filter });
        await watcher.WaitForPositionAsync(await _bank.Store.GetHeadPositionAsync(cancellationToken), cancellationToken);
        _narrator.Detail($"Watching '{Balances.Subjects}': caught up with position {watcher.Position}.");

        var pocketMoney = await DecideAsync(new Deposit("bob", 5, "pocket money"), cancellationToken);
        _narrator.Stored(pocketMoney);
        await watcher.WaitForPositionAsync(pocketMoney.Position!.Value, cancellationToken);
        _narrator.Detail($"WaitForPositionAsync({pocketMoney.Position}) returned: the read model has the deposit just decided (read your writes).");
        _narrator.BalanceTable(watcher.State);
    }
}
