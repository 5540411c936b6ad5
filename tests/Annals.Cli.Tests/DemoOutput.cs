using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary>What the demo prints on every backend: the same events at the same positions.</summary>
public static class DemoOutput
{
    public static void AssertStory(string output)
    {
        // Typed events under their registered names.
        Assert.Contains("   Opened             AccountOpened      an event", output);
        Assert.Contains("   TransferRequested  TransferRequested  an event", output);
        Assert.Contains("   ReceiveTransfer    ReceiveTransfer    a command the transfer workflow sends", output);
        Assert.Contains("   CreditDeadline     CreditDeadline     the transfer workflow's timeout", output);
        Assert.Contains("   AccountState       AccountState       a state, for snapshots (AccountState-v1)", output);
        Assert.Contains("   TransferState      TransferState      a state, for snapshots (TransferState-v1)", output);

        // Opened under the e-mail rule, then decided on each stream, with the command's id in the metadata.
        Assert.Contains("account.alice    Opened             Alice <alice@example.com>, EUR     revision 0, position 1", output);
        Assert.Contains("account.alice    Deposited          500 EUR, salary                    revision 1, position 4", output);
        Assert.Contains("account.alice    Withdrawn          60 EUR, cash machine               revision 2, position 7   (DecideAndEvolveAsync on the deposit's state: no reload)", output);
        Assert.Contains("account.alice@1 metadata: correlation-id=cmd-004, causation-id=cmd-004", output);
        Assert.Contains("account.alice    TransferSent       200 EUR to account.bob             revision 3, position 8", output);
        Assert.Contains("account.bob      TransferReceived   200 EUR from account.alice         revision 2, position 9", output);
        Assert.Contains("account.alice@3 metadata: correlation-id=t-1001, causation-id=t-1001", output);
        Assert.Matches(@"account\.bob@2 metadata: correlation-id=t-1001, causation-id=[0-9a-f-]{36} \(its command came from MessageContext\.CausedBy\(account\.alice@3\)\)", output);

        // The race: one of the two withdrawals was decided again.
        Assert.Contains("account.carol    Withdrawn          45 EUR, cash machine               revision 2, position 10   Attempts = 1", output);
        Assert.Contains("account.carol    Withdrawn          45 EUR, cash machine               revision 3, position 11   Attempts = 2", output);

        // Rejected commands store nothing.
        Assert.Contains("Rejected with AccountRejectedException: Rejected for account.alice: insufficient funds, the balance is 240 EUR and 300 EUR were asked.", output);
        Assert.Contains("Rejected with AccountRejectedException: Rejected for account.dave: the e-mail bob@example.com already owns an account.", output);
        Assert.Equal(2, Count(output, "Nothing was stored: the head is still at position 11."));
        Assert.Contains("account.dave does not exist.", output);

        // The snapshot, and the read model that reads its own write.
        Assert.Contains("account.alice    Deposited          100 EUR, refund                    revision 4, position 12", output);
        Assert.Contains("""Snapshot of account.alice at revision 4: AccountState-v1 {"owner":"Alice","balance":340}""", output);
        Assert.Contains("LoadAsync starts from it and folds only the events after revision 4: balance 340 EUR at revision 4.", output);
        Assert.Contains("Watching 'account.>': caught up with position 12.", output);
        Assert.Contains("account.bob      Deposited          5 EUR, pocket money                revision 3, position 13", output);
        Assert.Contains("WaitForPositionAsync(13) returned: the read model has the deposit just decided (read your writes).", output);
        Assert.Contains("Projection 'demo-balances': Live, checkpoint 13, 13 events handled, lag 0 events.", output);
        Assert.Contains("demo_balances  alice       340 EUR", output);
        Assert.Contains("demo_balances  bob         325 EUR", output);
        Assert.Contains("demo_balances  carol       210 EUR", output);
        Assert.Contains("Its checkpoint, 13, was committed with the rows", output);
        Assert.Equal([["account.alice", "340"], ["account.bob", "325"], ["account.carol", "210"]], Tables.Rows(output));

        // The transfer workflow: t-2001 debited and credited; t-2002 debited, its credit parked, then refunded at the deadline.
        AssertInOrder(
            output,
            "11. A transfer workflow (process manager 'transfers'): debit, then credit, refunded if the credit is not done within 2 s",
            "   transfer.t-2001@0 TransferRequested: 50 EUR from alice to bob",
            "   t-2001: Bob received 50 EUR; the instance cancelled its deadline and ended.",
            "   transfer.t-2002@0 TransferRequested: 20 EUR from bob to dave",
            "   t-2002: Dave has no account, so ReceiveTransfer is rejected, tried again, then parked:",
            "      parked command ReceiveTransfer to account.dave after 2 attempts: AccountRejectedException: Rejected for account.dave: the account is not open.",
            """   and when its deadline fired, 2 s after the request, the workflow refunded Bob: account.bob@6 Deposited {"account":"bob","amount":20,"reference":"refund of t-2002"}""",
            "   The workflow is Live at position 18, with 0 commands and 0 timeouts pending and 1 parked.",
            "   (requests stored at positions 14 and 17; both instances have ended, so their state is gone)",
            "12. Look at it");
        Assert.Equal(1, Count(output, "      parked "));
    }

    private static void AssertInOrder(string text, params string[] lines)
    {
        var from = 0;
        foreach (var line in lines)
        {
            var at = text.IndexOf(line, from, StringComparison.Ordinal);
            Assert.True(at >= 0, $"Expected, after position {from} of the output:\n{line}\nOutput:\n{text}");
            from = at + line.Length;
        }
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
