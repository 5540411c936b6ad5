using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;
using Spectre.Console;

namespace Annals.Cli.Demo;

/// <summary>
/// The demo's scenario, a small bank on deciders: typed events, accounts opened under an e-mail rule
/// over every account, commands decided with their ids in the events' metadata, a lost race decided
/// again, rejected commands that store nothing, a snapshot, a read model that follows the log, and a projection into
/// a table of the same database.
/// </summary>
internal sealed partial class BankDemo
{
    /// <summary>Every account's fifth event saves a snapshot of its state in the same commit.</summary>
    private const int SnapshotEvery = 5;

    private readonly TypedEventStore _bank;
    private readonly Narrator _narrator;
    private readonly StoreTarget _target;
    private int _commands;

    public BankDemo(IEventStore store, IAnsiConsole console, StoreTarget target)
    {
        _bank = Bank.Open(store);
        _narrator = new Narrator(console);
        _target = target;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _narrator.Title($"a small bank on deciders, written to {_target.Display}");
        ShowTypes();
        await OpenAccountsAsync(cancellationToken);
        await DepositAndWithdrawAsync(cancellationToken);
        await TransferAsync(cancellationToken);
        await RaceAsync(cancellationToken);
        await RejectOverdraftAsync(cancellationToken);
        await RejectDuplicateEmailAsync(cancellationToken);
        await SnapshotAsync(cancellationToken);
        await WatchBalancesAsync(cancellationToken);
        await ProjectBalancesAsync(cancellationToken);
        await TransferWorkflowAsync(cancellationToken);
        SuggestCommands();
    }

    private void ShowTypes()
    {
        _narrator.Step(1, "Register the types by their [EventType] names (JSON by System.Text.Json, source-generated)");
        foreach (var type in _bank.Codec.Registry.Types.OrderBy(t => RoleOf(t.ClrType)).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            var role = RoleOf(type.ClrType) switch
            {
                0 => "an event",
                1 => "a command the transfer workflow sends",
                2 => "the transfer workflow's timeout",
                _ => $"a state, for snapshots ({_bank.Codec.SnapshotTypeOf(type.ClrType)})",
            };
            _narrator.Detail($"{type.Name,-18} {type.ClrType.Name,-18} {role}");
        }
    }

    private static int RoleOf(Type type) =>
        type == typeof(AccountState) || type == typeof(TransferState) ? 3
        : type == typeof(CreditDeadline) ? 2
        : typeof(IAccountCommand).IsAssignableFrom(type) ? 1
        : 0;

    private void SuggestCommands()
    {
        _narrator.Step(12, "Look at it");
        var db = _target.CommandLine;
        _narrator.Detail($"annals streams {db}");
        _narrator.Detail($"annals read account.alice --metadata {db}");
        _narrator.Detail($"annals read-all --filter {ShellText.Quote(AccountOpening.Consistency.ToString())} {db}");
        _narrator.Detail($"annals read-all --filter {ShellText.Quote("*.*.Deposited")} {db}");
        _narrator.Detail($"annals stats {db}");
        _narrator.Detail($"annals parked list {BalancesTable.Name} {db}");
        _narrator.Detail($"annals parked list process:{TransferWorkflow.Name} {db}");
        _narrator.Detail($"annals read transfer.t-2002 {db}");
        _narrator.Detail($"annals tail {db}");
        _narrator.Detail($"    and, from another terminal: annals append account.bob --type Deposited --data {ShellText.Quote("""{"account":"bob","amount":5,"reference":"pocket money"}""")} {db}");
    }

    /// <summary>Decides a command on an account's stream, with a new command id.</summary>
    private Task<Decision<AccountState, IAccountEvent>> DecideAsync(IAccountCommand command, CancellationToken cancellationToken) =>
        DecideAsync(command, NextCommand(), AccountDecider.Instance, cancellationToken);

    private Task<Decision<AccountState, IAccountEvent>> DecideAsync(IAccountCommand command, MessageContext context, IDecider<IAccountCommand, AccountState, IAccountEvent> decider, CancellationToken cancellationToken) =>
        _bank.DecideAsync(Bank.Account(command.Account), decider, command, Options(context), cancellationToken);

    private static DecideOptions Options(MessageContext context) => new() { Context = context, SnapshotEvery = SnapshotEvery };

    /// <summary>The context of the next command: in an application its id comes with the command (a request id, say).</summary>
    private MessageContext NextCommand() => new($"cmd-{++_commands:D3}");

    private ValueTask<RecordedEvent> ReadBackAsync(StreamName stream, long revision, CancellationToken cancellationToken) =>
        _bank.Store.ReadStreamAsync(stream, revision, 1, cancellationToken).FirstAsync(cancellationToken);
}
