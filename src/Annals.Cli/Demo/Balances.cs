using System.Collections.Immutable;
using Annals.Deciders;
using Annals.Storage;

namespace Annals.Cli.Demo;

/// <summary>The demo's read model: every account's balance, by account id, folded from <c>account.&gt;</c>.</summary>
internal static class Balances
{
    /// <summary>The events it folds, as typed: every event of every account.</summary>
    public const string Subjects = "account.>";

    public static EventFilter Filter { get; } = EventFilter.Parse(Subjects);

    public static IEvolver<ImmutableSortedDictionary<string, long>, IAccountEvent> Evolver { get; } =
        Decider.Evolver<ImmutableSortedDictionary<string, long>, IAccountEvent>(
            ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal),
            static (balances, e) => balances.SetItem(e.Account, balances.GetValueOrDefault(e.Account) + AccountDecider.BalanceChange(e)));
}
