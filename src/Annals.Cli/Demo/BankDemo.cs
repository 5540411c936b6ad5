using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Spectre.Console;

namespace Annals.Cli.Demo;

/// <summary>
/// The demo's scenario: three accounts opened, money deposited and withdrawn, a transfer guarded by
/// an append condition, a second transfer from a stale read rejected, and a read model's checkpoint.
/// </summary>
internal sealed class BankDemo
{
    private static readonly StreamName Alice = StreamName.For("account", "alice");
    private static readonly StreamName Bob = StreamName.For("account", "bob");
    private static readonly StreamName Carol = StreamName.For("account", "carol");

    private readonly IEventStore _store;
    private readonly IAnsiConsole _console;
    private readonly StoreTarget _target;
    private readonly Dictionary<StreamName, ExpectedRevision> _expected = [];

    public BankDemo(IEventStore store, IAnsiConsole console, StoreTarget target)
    {
        _store = store;
        _console = console;
        _target = target;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _console.MarkupLine($"[bold]Annals demo:[/] a small bank, written to {Markup.Escape(_target.Display)}");

        Step(1, "Open three accounts (each append expects the stream not to exist yet)");
        await AppendAsync(Alice, AccountEvents.Opened("Alice"), "owner Alice, EUR", cancellationToken);
        await AppendAsync(Bob, AccountEvents.Opened("Bob"), "owner Bob, EUR", cancellationToken);
        await AppendAsync(Carol, AccountEvents.Opened("Carol"), "owner Carol, EUR", cancellationToken);

        Step(2, "Deposit (each append expects the revision last written)");
        await AppendAsync(Alice, AccountEvents.Deposited(500, "salary"), "500 EUR, salary", cancellationToken);
        await AppendAsync(Bob, AccountEvents.Deposited(120, "birthday"), "120 EUR, birthday", cancellationToken);
        await AppendAsync(Carol, AccountEvents.Deposited(300, "savings"), "300 EUR, savings", cancellationToken);

        Step(3, "Withdraw");
        await AppendAsync(Alice, AccountEvents.Withdrawn(60, "cash machine"), "60 EUR, cash machine", cancellationToken);
        await AppendAsync(Carol, AccountEvents.Withdrawn(45, "groceries"), "45 EUR, groceries", cancellationToken);

        Step(4, "Transfer 200 EUR from Alice to Bob, guarded by an append condition");
        var seen = await BalanceReading.ReadAsync(_store, Alice, cancellationToken);
        Detail($"Read {Alice}: balance {seen.Balance} EUR as of position {seen.Position}.");
        Detail($"One atomic commit, on condition that no event of {Alice} follows position {seen.Position}:");
        await TransferAsync(seen, Bob, 200, "t-1001", cancellationToken);

        Step(5, "A second transfer, decided from the same read, which is now stale");
        Detail($"Another teller also saw {seen.Balance} EUR as of position {seen.Position}, and sends 300 EUR from Alice to Carol.");
        try
        {
            await TransferAsync(seen, Carol, 300, "t-1002", cancellationToken);
        }
        catch (AppendConditionFailedException e)
        {
            Detail($"Rejected with {nameof(AppendConditionFailedException)}: {e.Message}");
            Detail($"Nothing was stored: without the condition, Alice's balance would now be {seen.Balance - 200 - 300} EUR.");
        }

        var fresh = await BalanceReading.ReadAsync(_store, Alice, cancellationToken);
        Detail($"Read again: balance {fresh.Balance} EUR as of position {fresh.Position}, too little for 300 EUR, so the transfer is declined:");
        await TransferAsync(fresh, Carol, 300, "t-1002", cancellationToken);

        Step(6, $"Bring the '{BalancesProjection.Consumer}' read model up to date and save its checkpoint");
        var projection = await BalancesProjection.CatchUpAsync(_store, _console, cancellationToken);
        Detail($"Folded {projection.Events} account events; checkpoint '{BalancesProjection.Consumer}' saved at position {projection.Position}.");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Account");
        table.AddColumn(new TableColumn($"Balance ({AccountEvents.Currency})").RightAligned());
        foreach (var (account, balance) in projection.Balances)
        {
            table.AddRow(account, balance.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _console.Write(new Padder(table, new Padding(3, 0, 0, 0)));

        Step(7, "Look at it");
        var db = _target.CommandLine;
        Detail($"annals streams {db}");
        Detail($"annals read {Alice} {db}");
        Detail($"annals read-all --filter {ShellText.Quote("*.*.Deposited")} {db}");
        Detail($"annals stats {db}");
        Detail($"annals tail {db}");
        Detail($"    and, from another terminal: annals append {Bob} --type Deposited --data {ShellText.Quote("{\"amount\":5,\"reference\":\"pocket money\"}")} {db}");
    }

    private async Task AppendAsync(StreamName stream, EventData @event, string detail, CancellationToken cancellationToken)
    {
        var expected = _expected.TryGetValue(stream, out var last) ? last : ExpectedRevision.NoStream;
        var result = await _store.AppendAsync(stream, expected, @event, cancellationToken);
        Report(result, @event.Type, detail);
    }

    private async Task TransferAsync(BalanceReading source, StreamName to, long amount, string id, CancellationToken cancellationToken)
    {
        var transfer = StreamName.For("transfer", id);
        var batch = new CommitBatch().RequireNoneAfter(EventFilter.ForStreams(source.Account), source.Position);
        var lines = new List<(string Type, string Detail)>();
        if (amount <= source.Balance)
        {
            batch.Append(source.Account, ExpectedRevision.StreamExists, AccountEvents.TransferredOut(amount, id, to))
                .Append(to, ExpectedRevision.StreamExists, AccountEvents.TransferredIn(amount, id, source.Account))
                .Append(transfer, ExpectedRevision.NoStream, AccountEvents.TransferCompleted(source.Account, to, amount));
            lines.Add(("Withdrawn", $"{amount} EUR to {to}"));
            lines.Add(("Deposited", $"{amount} EUR from {source.Account}"));
            lines.Add(("TransferCompleted", $"{amount} EUR"));
        }
        else
        {
            batch.Append(transfer, ExpectedRevision.NoStream, AccountEvents.TransferDeclined(source.Account, to, amount, "insufficient funds"));
            lines.Add(("TransferDeclined", $"{amount} EUR, insufficient funds"));
        }

        var result = await _store.CommitAsync(batch, cancellationToken);
        for (var i = 0; i < result.Appends.Count; i++)
        {
            Report(result.Appends[i], lines[i].Type, lines[i].Detail);
        }
    }

    private void Report(AppendResult result, string type, string detail)
    {
        _expected[result.Stream] = result.NextExpected;
        Detail($"{result.Stream.Value,-16} {type,-18} {detail,-34} revision {result.LastRevision}, position {result.LastPosition}");
    }

    private void Step(int number, string title)
    {
        _console.WriteLine();
        _console.MarkupLine($"[bold]{number}. {Markup.Escape(title)}[/]");
    }

    private void Detail(string text) => _console.WriteLine("   " + text);
}
