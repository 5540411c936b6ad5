using Annals.Deciders;
using Annals.Serialization;

namespace Annals.Cli.Demo;

internal sealed partial class BankDemo
{
    private async Task RejectOverdraftAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(6, "Transfer 300 EUR from Alice to Carol: the decider rejects it");
        await ShowRejectedAsync(
            () => DecideAsync(new SendTransfer("alice", "t-1002", "carol", 300), new MessageContext("t-1002"), AccountDecider.Instance, cancellationToken),
            cancellationToken);
    }

    private async Task RejectDuplicateEmailAsync(CancellationToken cancellationToken)
    {
        _narrator.Step(7, $"Open account.dave with Bob's e-mail: the rule over '{AccountOpening.Consistency}' rejects it");
        var dave = Bank.Account("dave");
        await ShowRejectedAsync(
            () => _bank.DecideAsync(AccountOpening.Consistency, dave, AccountOpening.Decider, new OpenAccount("dave", "Dave", "Bob@example.com"), new DecideOptions { Context = NextCommand() }, cancellationToken),
            cancellationToken);
        var info = await _bank.Store.GetStreamInfoAsync(dave, cancellationToken);
        _narrator.Detail(info is null ? $"{dave} does not exist." : $"{dave} exists, with {info.Count} events.");
    }

    /// <summary>Runs a command the bank should refuse, and shows the refusal and that the store did not change.</summary>
    private async Task ShowRejectedAsync(Func<Task> decide, CancellationToken cancellationToken)
    {
        var before = await _bank.Store.GetHeadPositionAsync(cancellationToken);
        try
        {
            await decide();
            _narrator.Detail("Accepted.");
        }
        catch (AccountRejectedException e)
        {
            _narrator.Rejected(e);
        }

        var after = await _bank.Store.GetHeadPositionAsync(cancellationToken);
        _narrator.Detail(after == before
            ? $"Nothing was stored: the head is still at position {after}."
            : $"The head moved from position {before} to {after}.");
    }
}
