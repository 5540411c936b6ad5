using Annals.Projections;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Samples.Bank.Projections;

/// <summary>
/// Keeps every account's balance as durable state (<c>balance.{id}</c>): each batch's new states are saved in the
/// commit of the projection's checkpoint, so every event counts exactly once, whatever stops the process.
/// </summary>
public sealed class BalancesProjection(BalanceStore balances, EventCodec codec) : IProjection
{
    public const string Name = "balances";

    public static ProjectionOptions Options { get; } = new() { Filter = EventFilter.ForCategories(AccountEntity.Category) };

    public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        // Only this projection writes the states and its batches run one at a time: what is stored is what the last batch left.
        var changed = new Dictionary<string, (AccountBalance Balance, long Version)>(StringComparer.Ordinal);
        foreach (var record in batch.Events)
        {
            foreach (var e in codec.Decode(record).OfType<IAccountEvent>())
            {
                if (!changed.TryGetValue(e.Account, out var row))
                {
                    var (stored, version) = await balances.ReadAsync(e.Account, cancellationToken);
                    row = (stored ?? new AccountBalance(e.Account, null, 0, 0), version);
                }

                changed[e.Account] = (Apply(row.Balance, e, record.Position), row.Version);
            }
        }

        foreach (var (account, (balance, version)) in changed)
        {
            var (type, data) = codec.EncodeState(balance);
            batch.Commit.SaveState(BankStreams.Balance(account), version + 1, type, data);
        }
    }

    public async ValueTask ResetAsync(CommitBatch commit, CancellationToken cancellationToken)
    {
        await foreach (var (balance, version) in balances.ReadAllAsync(cancellationToken))
        {
            commit.DeleteState(BankStreams.Balance(balance.Account), version);
        }
    }

    private static AccountBalance Apply(AccountBalance balance, IAccountEvent e, long position) => e switch
    {
        AccountOpened opened => balance with { Owner = opened.Owner, Position = position },
        AccountClosed => balance with { Closed = true, Position = position },
        _ => balance with { Balance = balance.Balance + AccountRules.BalanceChange(e), Position = position },
    };
}
