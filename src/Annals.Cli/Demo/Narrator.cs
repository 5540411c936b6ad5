using System.Globalization;
using Annals.Cli.Rendering;
using Annals.Deciders;
using Annals.Storage;
using Spectre.Console;

namespace Annals.Cli.Demo;

/// <summary>Writes the demo's story: numbered steps, indented details, and one aligned line per stored event.</summary>
internal sealed class Narrator(IAnsiConsole console)
{
    public void Title(string text) => console.MarkupLine($"[bold]Annals demo:[/] {Markup.Escape(text)}");

    public void Step(int number, string title)
    {
        console.WriteLine();
        console.MarkupLine($"[bold]{number}. {Markup.Escape(title)}[/]");
    }

    public void Detail(string text) => console.WriteLine("   " + text);

    /// <summary>One line per event of a decision: stream, type, what it says, where it was stored, and a note.</summary>
    public void Stored<TState, TEvent>(Decision<TState, TEvent> decision, string? note = null)
        where TEvent : IAccountEvent
    {
        for (var i = 0; i < decision.Events.Count; i++)
        {
            // The events of one append take consecutive revisions and positions, ending at the decision's.
            var back = decision.Events.Count - 1 - i;
            var e = decision.Events[i];
            var where = $"revision {decision.Revision - back}, position {decision.Position - back}";
            Detail($"{decision.Stream.Value,-16} {Bank.Codec.Registry.Get(e.GetType()).Name,-18} {Describe(e),-34} {where}{(note is null ? string.Empty : "   " + note)}");
        }
    }

    public void Metadata(RecordedEvent record, string? note = null) =>
        Detail($"{record.Stream.Value}@{record.Revision} metadata: {EventText.Metadata(record.Metadata)}{(note is null ? string.Empty : " " + note)}");

    public void Rejected(Exception e) => Detail($"Rejected with {e.GetType().Name}: {e.Message}");

    public void BalanceTable(IEnumerable<KeyValuePair<string, long>> balances)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Account");
        table.AddColumn(new TableColumn($"Balance ({Bank.Currency})").RightAligned());
        foreach (var (account, balance) in balances)
        {
            table.AddRow(Bank.Account(account).Value, balance.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(new Padder(table, new Padding(3, 0, 0, 0)));
    }

    private static string Describe(IAccountEvent e) => e switch
    {
        AccountOpened o => $"{o.Owner} <{o.Email}>, {o.Currency}",
        Deposited d => $"{d.Amount} {Bank.Currency}, {d.Reference}",
        Withdrawn w => $"{w.Amount} {Bank.Currency}, {w.Reference}",
        TransferSent t => $"{t.Amount} {Bank.Currency} to {Bank.Account(t.To)}",
        TransferReceived t => $"{t.Amount} {Bank.Currency} from {Bank.Account(t.From)}",
        _ => e.ToString() ?? string.Empty,
    };
}
