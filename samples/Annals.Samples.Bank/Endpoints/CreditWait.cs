using Annals.Deciders;
using Annals.Samples.Bank.Domain;
using Annals.Storage;

namespace Annals.Samples.Bank.Endpoints;

/// <summary>Waits, for a bounded time, for a transfer's credit: the receiver's <see cref="TransferReceived"/> of that transfer.</summary>
public static class CreditWait
{
    /// <summary>The credit's log position once it is stored, or <see langword="null"/> when it is not within <paramref name="wait"/>.</summary>
    /// <remarks>The credit comes after its debit: the receiver's credits are followed from the debit's position on.</remarks>
    public static async Task<long?> ForAsync(TypedEventStore bank, string receiver, string transfer, long debited, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        var credits = EventFilter.Subjects($"{AccountEntity.Category}.{receiver}.{nameof(TransferReceived)}");
        try
        {
            await foreach (var record in bank.Store.SubscribeAsync(debited, credits, deadline.Token))
            {
                if (bank.Codec.Decode(record).OfType<TransferReceived>().Any(credit => credit.Transfer == transfer))
                {
                    return record.Position;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return null;
    }
}
