using System.Runtime.CompilerServices;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Samples.Bank.Projections;

/// <summary>Reads the balances read model: the durable states the balances projection commits with its checkpoint.</summary>
public sealed class BalanceStore(IEventStore store, EventCodec codec)
{
    /// <summary>One account's balance with the version of its state; version 0 and no balance when none is stored.</summary>
    public async ValueTask<(AccountBalance? Balance, long Version)> ReadAsync(string account, CancellationToken cancellationToken = default)
    {
        var stored = await store.ReadStateAsync(BankStreams.Balance(account), cancellationToken);
        if (stored is null)
        {
            return (null, 0);
        }

        return codec.TryDecodeState<AccountBalance>(stored.Type, stored.Data, out var balance, out var skipped)
            ? (balance, stored.Version)
            : throw new InvalidOperationException($"The balance of '{account}' cannot be read: {skipped}");
    }

    /// <summary>Every account's balance, in the order of the account streams.</summary>
    public async IAsyncEnumerable<(AccountBalance Balance, long Version)> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stream in store.ListStreamsAsync(AccountEntity.Category, cancellationToken))
        {
            if (await ReadAsync(stream.Stream.Id, cancellationToken) is ({ } balance, var version))
            {
                yield return (balance, version);
            }
        }
    }
}
