using Spectre.Console;

namespace Annals.Cli.Demo;

/// <summary>The demo's read model: every account's balance, folded from the log, with its checkpoint.</summary>
internal static class BalancesProjection
{
    public const string Consumer = "balances";

    private static readonly EventFilter Accounts = EventFilter.Parse("account.>");

    public static async Task<BalancesResult> CatchUpAsync(IEventStore store, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var checkpoint = await store.ReadCheckpointAsync(Consumer, cancellationToken);
        var head = await store.GetHeadPositionAsync(cancellationToken);
        var balances = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var events = 0;

        // The model lives in memory, so it folds from the start; the checkpoint records how far it got.
        async Task FoldAsync(ProgressTask? progress)
        {
            await foreach (var e in store.ReadAllAsync(0, Accounts, cancellationToken: cancellationToken))
            {
                balances[e.Stream.Value] = AccountEvents.Apply(balances.GetValueOrDefault(e.Stream.Value), e);
                events++;
                progress?.Value = e.Position;
            }

            progress?.Value = head;
        }

        if (console.Profile.Capabilities.Interactive)
        {
            await console.Progress().StartAsync(context => FoldAsync(context.AddTask("Folding the log", maxValue: Math.Max(head, 1))));
        }
        else
        {
            await FoldAsync(null);
        }

        await store.CommitAsync(new CommitBatch().SaveCheckpoint(Consumer, head, expectedPosition: checkpoint), cancellationToken);
        return new BalancesResult(balances, head, events);
    }
}
