using Annals.Projections;

namespace Annals.Cli.Demo;

internal sealed partial class BankDemo
{
    private async Task ProjectBalancesAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(10, "Project the balances into a table of the same database: SQL work committed with the checkpoint, exactly once");
        await BalancesTable.CreateAsync(_bank.Store, cancellationToken);
        await using var host = new ProjectionHost(_bank.Store);
        host.Add(BalancesTable.Name, new BalancesTable(), BalancesTable.Options);
        await host.StartAsync(cancellationToken);
        var head = await _bank.Store.GetHeadPositionAsync(cancellationToken);
        await host.WaitForPositionAsync(BalancesTable.Name, head, cancellationToken);
        var status = await host.GetStatusAsync(BalancesTable.Name, cancellationToken);
        _narrator.Detail($"Projection '{status.Name}': {status.State}, checkpoint {status.Position}, {status.HandledEvents} events handled, lag {status.LagEvents} events.");
        foreach (var (account, balance) in await BalancesTable.ReadAsync(_bank.Store, cancellationToken))
        {
            _narrator.Detail($"demo_balances  {account,-8} {balance,6} {Bank.Currency}");
        }

        await host.StopAsync(cancellationToken);
        _narrator.Detail($"Its checkpoint, {await _bank.Store.ReadCheckpointAsync(BalancesTable.Name, cancellationToken)}, was committed with the rows: a process that starts it later goes on from there, and nothing is counted twice.");
    }
}
