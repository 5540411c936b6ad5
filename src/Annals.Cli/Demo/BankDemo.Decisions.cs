using Annals.Serialization;

namespace Annals.Cli.Demo;

internal sealed partial class BankDemo
{
    private async Task OpenAccountsAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(2, $"Open three accounts, each decided over '{AccountOpening.Consistency}': an e-mail owns one account, whichever stream claimed it");
        foreach (var (id, owner) in new[] { ("alice", "Alice"), ("bob", "Bob"), ("carol", "Carol") })
        {
            var opened = await _bank.DecideAsync(
                AccountOpening.Consistency, Bank.Account(id), AccountOpening.Decider, new OpenAccount(id, owner, $"{id}@example.com"), new() { Context = NextCommand() }, cancellationToken);
            _narrator.Stored(opened);
        }
    }

    private async Task DepositAndWithdrawAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(3, "Deposit and withdraw: DecideAsync loads the account, decides, and appends at the revision it loaded");
        var salary = await DecideAsync(new Deposit("alice", 500, "salary"), cancellationToken);
        _narrator.Stored(salary);
        _narrator.Stored(await DecideAsync(new Deposit("bob", 120, "birthday"), cancellationToken));
        _narrator.Stored(await DecideAsync(new Deposit("carol", 300, "savings"), cancellationToken));

        // The state the deposit returned is current, so the next command needs no reload.
        var cash = await _bank.DecideAndEvolveAsync(salary.After, AccountDecider.Instance, new Withdraw("alice", 60, "cash machine"), Options(NextCommand()), cancellationToken);
        _narrator.Stored(cash, "(DecideAndEvolveAsync on the deposit's state: no reload)");
        _narrator.Metadata(await ReadBackAsync(salary.Stream, salary.Revision!.Value, cancellationToken), "(its command's id: it started a correlation of its own)");
    }

    private async Task TransferAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(4, "Transfer 200 EUR from Alice to Bob: two commands in one correlation");
        var send = await DecideAsync(new SendTransfer("alice", "t-1001", "bob", 200), new MessageContext("t-1001"), AccountDecider.Instance, cancellationToken);
        _narrator.Stored(send);
        var sent = await ReadBackAsync(send.Stream, send.Revision!.Value, cancellationToken);

        // Bob's command reacts to Alice's event, as a process manager would: it joins its correlation.
        var receive = await DecideAsync(new ReceiveTransfer("bob", "t-1001", "alice", 200), MessageContext.CausedBy(sent), AccountDecider.Instance, cancellationToken);
        _narrator.Stored(receive);
        _narrator.Metadata(sent);
        _narrator.Metadata(await ReadBackAsync(receive.Stream, receive.Revision!.Value, cancellationToken), $"(its command came from MessageContext.CausedBy({sent.Stream}@{sent.Revision}))");
    }

    private async Task RaceAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(5, "Two cash machines withdraw 45 EUR from Carol at the same moment");
        var machines = new LockstepDecider(AccountDecider.Instance, participants: 2);
        var first = NextCommand();
        var second = NextCommand();
        var withdrawals = await Task.WhenAll(
            Task.Run(() => DecideAsync(new Withdraw("carol", 45, "cash machine"), first, machines, cancellationToken), cancellationToken),
            Task.Run(() => DecideAsync(new Withdraw("carol", 45, "cash machine"), second, machines, cancellationToken), cancellationToken));
        _narrator.Detail("Both decided on the same state; one append found the stream moved on, so DecideAsync caught up and decided again:");
        foreach (var withdrawal in withdrawals.OrderBy(w => w.Position))
        {
            _narrator.Stored(withdrawal, $"Attempts = {withdrawal.Attempts}");
        }
    }
}
